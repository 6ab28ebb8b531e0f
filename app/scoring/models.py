"""Marking schemes (评分方案) and their versions: components → criteria → aspects.

A scheme belongs to an event, or to one stage of it. What it says lives in a `SchemeVersion`:
the rounding of the total, the tie-break list, the award rule, the standardisation, and the
components with their criteria and aspects. A version can be edited while it is not frozen.
Entering the first mark will freeze it (`frozen_at`, set by the score-entry slice through
services.schemes.freeze in the same transaction as that mark); a later change then makes
version n+1, so marks point at the aspects of the version they were given on, and results say
which version they used.

Numbers are stored as exact decimal text (`DecimalText`), never floats: SQLite has no exact
decimal type, and the same figures must come back on both databases.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, false, ForeignKey, Integer, String, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.extensions import db


class DecimalText(TypeDecorator):
    """A Decimal stored as its exact text (e.g. "7.5", "-0.25")."""
    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


class MarkingScheme(db.Model):
    __tablename__ = "marking_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # deleted: kept for the audit log, never shown
    # Blind marking: judges see a station or work number, never a contestant's name or unit.
    blind: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Judges apart by more than an aspect's allowed spread: "remark" (they revise) or "third_marker".
    spread_action: Mapped[str] = mapped_column(String(16), default="remark", server_default="remark")

    event = relationship("Event")
    stage = relationship("Stage")
    versions: Mapped[list["SchemeVersion"]] = relationship(
        back_populates="scheme", order_by="SchemeVersion.number", cascade="all, delete-orphan")

    @property
    def current(self) -> "SchemeVersion":
        return self.versions[-1]


class SchemeVersion(db.Model):
    __tablename__ = "scheme_versions"
    __table_args__ = (UniqueConstraint("scheme_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("marking_schemes.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)   # the first mark's time
    total_rounding: Mapped[str] = mapped_column(String(16), default="half_up")
    total_places: Mapped[int] = mapped_column(Integer, default=2)
    # [{"kind": "extra", "key": "time", "higher_is_better": false}, …] in the order they apply
    tie_breaks: Mapped[list] = mapped_column(JSON, default=list)
    award_method: Mapped[str] = mapped_column(String(16), default="none")
    award_levels: Mapped[list] = mapped_column(JSON, default=list)    # [{"name": "一等奖", "limit": "10"}, …]
    award_rounding: Mapped[str] = mapped_column(String(16), default="half_up")
    standardisation: Mapped[str] = mapped_column(String(16), default="none")
    standard_mean: Mapped[Decimal | None] = mapped_column(DecimalText)
    standard_spread: Mapped[Decimal | None] = mapped_column(DecimalText)
    standard_benchmark: Mapped[Decimal | None] = mapped_column(DecimalText)
    standard_rounding: Mapped[str] = mapped_column(String(16), default="half_up")
    standard_places: Mapped[int] = mapped_column(Integer, default=2)

    scheme: Mapped[MarkingScheme] = relationship(back_populates="versions")
    components: Mapped[list["SchemeComponent"]] = relationship(
        back_populates="version", order_by="SchemeComponent.position", cascade="all, delete-orphan")

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class SchemeComponent(db.Model):
    """理论 / 实操 …: a part of the total with its weight (percent)."""
    __tablename__ = "scheme_components"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scheme_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    weight: Mapped[Decimal | None] = mapped_column(DecimalText)
    scale_to: Mapped[Decimal | None] = mapped_column(DecimalText)
    is_theory: Mapped[bool] = mapped_column(Boolean, default=False)
    rounding: Mapped[str] = mapped_column(String(16), default="half_up")
    places: Mapped[int] = mapped_column(Integer, default=2)

    version: Mapped[SchemeVersion] = relationship(back_populates="components")
    criteria: Mapped[list["SchemeCriterion"]] = relationship(
        back_populates="component", order_by="SchemeCriterion.position", cascade="all, delete-orphan")


class SchemeCriterion(db.Model):
    __tablename__ = "scheme_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("scheme_components.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))

    component: Mapped[SchemeComponent] = relationship(back_populates="criteria")
    aspects: Mapped[list["SchemeAspect"]] = relationship(
        back_populates="criterion", order_by="SchemeAspect.position", cascade="all, delete-orphan")


class SchemeAspect(db.Model):
    """What judges mark: a maximum, a kind, a scale, how marks and attempts make its score."""
    __tablename__ = "scheme_aspects"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("scheme_criteria.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scheme_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    maximum: Mapped[Decimal] = mapped_column(DecimalText)
    kind: Mapped[str] = mapped_column(String(16))               # measurement / judgement / deduction
    scale_min: Mapped[Decimal] = mapped_column(DecimalText)
    scale_max: Mapped[Decimal] = mapped_column(DecimalText)
    scale_step: Mapped[Decimal | None] = mapped_column(DecimalText)
    allowed_spread: Mapped[Decimal | None] = mapped_column(DecimalText)
    judges: Mapped[int | None] = mapped_column(Integer)        # marks per attempt (None: any)
    aggregation: Mapped[str] = mapped_column(String(16), default="mean")
    drop_high: Mapped[int] = mapped_column(Integer, default=0)
    drop_low: Mapped[int] = mapped_column(Integer, default=0)
    attempts_rule: Mapped[str] = mapped_column(String(16), default="sum")
    attempts_count: Mapped[int | None] = mapped_column(Integer)
    best_k: Mapped[int] = mapped_column(Integer, default=1)
    uses_factor: Mapped[bool] = mapped_column(Boolean, default=False)
    rounding: Mapped[str] = mapped_column(String(16), default="half_up")
    places: Mapped[int] = mapped_column(Integer, default=2)

    criterion: Mapped[SchemeCriterion] = relationship(back_populates="aspects")
    version: Mapped[SchemeVersion] = relationship()


# ---- entering scores ------------------------------------------------------------------------------------------
#
# A score sheet is one judge's (a panel member's) marks on one scheme version: the contestants
# they may see × the version's aspects. Its status goes draft → submitted → locked; each mark
# follows it. A mark carries the client-made id it was sent with (unique per judge), so a
# resend from a tablet that lost its network never stores it twice. A change after submission
# keeps the old value, who, when and why (MarkChange).

class SheetStatus:
    DRAFT, SUBMITTED, LOCKED = "draft", "submitted", "locked"
    ALL = (DRAFT, SUBMITTED, LOCKED)


class ScoreSheet(db.Model):
    __tablename__ = "score_sheets"
    __table_args__ = (UniqueConstraint("version_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scheme_versions.id", ondelete="CASCADE"), index=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=SheetStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    version: Mapped[SchemeVersion] = relationship()
    panel = relationship("Panel")
    member = relationship("PanelMember")


class Mark(db.Model):
    __tablename__ = "marks"
    __table_args__ = (UniqueConstraint("sheet_id", "aspect_id", "registration_id", "attempt"),
                      UniqueConstraint("member_id", "client_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheets.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id", ondelete="CASCADE"))
    aspect_id: Mapped[int] = mapped_column(ForeignKey("scheme_aspects.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    value: Mapped[Decimal] = mapped_column(DecimalText)
    status: Mapped[str] = mapped_column(String(16), default=SheetStatus.DRAFT)
    client_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MarkReceipt(db.Model):
    """Every client id a judge's write came with, and the mark it wrote: an id seen before is a
    resend, answered "unchanged" — even when a later write has changed the mark since, so an
    old resend never brings back an old value."""
    __tablename__ = "mark_receipts"
    __table_args__ = (UniqueConstraint("member_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    mark_id: Mapped[int] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal] = mapped_column(DecimalText)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    mark: Mapped[Mark] = relationship()


class MarkChange(db.Model):
    """A submitted mark changed: the old value, the new, who, when and why."""
    __tablename__ = "mark_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    mark_id: Mapped[int] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"), index=True)
    old_value: Mapped[Decimal] = mapped_column(DecimalText)
    new_value: Mapped[Decimal] = mapped_column(DecimalText)
    reason: Mapped[str] = mapped_column(String(500))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SpreadFlag(db.Model):
    """Judges' submitted marks on one judgement cell differ by more than the allowed spread.
    `action` is what the scheme said (re-mark, or a third marker); it is open until the marks
    agree again (`resolved_at`)."""
    __tablename__ = "spread_flags"
    __table_args__ = (UniqueConstraint("version_id", "aspect_id", "registration_id", "attempt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scheme_versions.id", ondelete="CASCADE"), index=True)
    aspect_id: Mapped[int] = mapped_column(ForeignKey("scheme_aspects.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    spread: Mapped[Decimal] = mapped_column(DecimalText)
    action: Mapped[str] = mapped_column(String(16))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ThirdMarker(db.Model):
    """The judge the chief judge asked to mark a flagged cell as a third marker (the scheme's
    spread action "third_marker"); `marked_at` when their mark arrived and resolved the flag."""
    __tablename__ = "third_markers"

    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("spread_flags.id", ondelete="CASCADE"), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id", ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    flag: Mapped[SpreadFlag] = relationship()
    member = relationship("PanelMember")


class CorrectionStatus:
    PENDING, APPLIED, REFUSED = "pending", "applied", "refused"
    ALL = (PENDING, APPLIED, REFUSED)


class MarkCorrection(db.Model):
    """A locked mark's change asked for (by a judge of the panel or its chief judge) with the new
    value and a reason; approved by the panel's chief judge and by staff (two different people),
    then applied (a MarkChange); or refused by either, with a reason."""
    __tablename__ = "mark_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    mark_id: Mapped[int] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"), index=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id", ondelete="CASCADE"), index=True)
    old_value: Mapped[Decimal] = mapped_column(DecimalText)
    new_value: Mapped[Decimal] = mapped_column(DecimalText)
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default=CorrectionStatus.PENDING, index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    chief_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    chief_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    staff_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    staff_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refused_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refusal: Mapped[str | None] = mapped_column(String(500))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    mark: Mapped[Mark] = relationship()
    panel = relationship("Panel")
