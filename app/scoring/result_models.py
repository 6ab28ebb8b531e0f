"""Published results (成绩发布): immutable, versioned snapshots of a scheme's results; their
scheduled publication; the advancement of the best to the next stage's event.

A snapshot belongs to one marking scheme (so to its event, or one stage of it) and is numbered
v1, v2 … per scheme; a row is written once and never changed. It keeps everything needed to
recompute it bit for bit (app.scoring.services.standings):

    inputs       the canonical inputs: the scheme version's definition and every counted mark
    inputs_hash  SHA-256 (hex) of the canonical JSON of `inputs`
    outputs      every figure of app.scoring.arithmetic.results.compute, as plain JSON
                 (Decimals as strings), ranks, tie-breaks and awards included
    labels       who each contestant was at publication (name, unit, number), for the pages

v2 and later carry the reason they were published.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.extensions import db


class ResultSnapshot(db.Model):
    __tablename__ = "result_snapshots"
    __table_args__ = (UniqueConstraint("scheme_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("marking_schemes.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(ForeignKey("scheme_versions.id", ondelete="CASCADE"))
    inputs_hash: Mapped[str] = mapped_column(String(64))
    inputs: Mapped[dict] = mapped_column(JSON)
    outputs: Mapped[dict] = mapped_column(JSON)
    labels: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    scheme = relationship("MarkingScheme")
    version = relationship("SchemeVersion")
    published_by = relationship("User")


class PublicationState:
    PENDING, PUBLISHED, CANCELLED, FAILED = "pending", "published", "cancelled", "failed"
    ALL = (PENDING, PUBLISHED, CANCELLED, FAILED)


class ScheduledPublication(db.Model):
    """Staff asked for a scheme's results to be published at `due_at`; the scheduler's job
    publishes it once (pending → published, or failed with the reason it could not)."""
    __tablename__ = "scheduled_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("marking_schemes.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=PublicationState.PENDING)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("result_snapshots.id", ondelete="SET NULL"))
    message: Mapped[str | None] = mapped_column(Text)

    scheme = relationship("MarkingScheme")
    snapshot: Mapped[ResultSnapshot | None] = relationship()


class Advancement(db.Model):
    """One contestant advanced from a published result into the next stage's event, and the
    entry made for them there. One row per (source entry, target event): advancing twice
    makes nothing twice."""
    __tablename__ = "advancements"
    __table_args__ = (UniqueConstraint("registration_id", "target_event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("result_snapshots.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    target_event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="SET NULL"))
    place: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
