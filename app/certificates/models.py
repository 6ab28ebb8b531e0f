"""Certificate templates and issued certificates (证书).

A template says how a kind of certificate looks: the page, an optional background image and
where each printed field sits. A certificate is what was issued: its holder, subject, kind,
the facts printed on it, its serial and verification code, and the SHA-256 of its PDF. The
PDF itself is kept beside it (`CertificateDocument`), so a later change of the template never
changes a certificate already issued. Nothing here is ever deleted: a revoked certificate
keeps its row and says so, a corrected one is superseded by a new certificate with a new
serial, and both stay verifiable.

Batches (CertificateBatch): pending ──job──▶ running ──▶ done (a crash leaves it running; the
next run resumes).

States:  valid ──revoke──▶ revoked
           └───correct──▶ superseded (superseded_by → the new, valid certificate)
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.core.types import enum_type
from app.extensions import db


class Kind(str, enum.Enum):
    AWARD = "award"                    # 获奖证书
    COMPLETION = "completion"          # 结业证书
    JUDGE = "judge"                    # 裁判员证书 (a judge qualification)
    PARTICIPATION = "participation"    # 参赛证明


class State(str, enum.Enum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class CertificateTemplate(db.Model):
    """How certificates of one kind look. `fields` is a list of placements (layout.Placement
    as dicts): which text, where on the page (mm from the lower left), font, size, alignment."""

    __tablename__ = "certificate_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[Kind] = mapped_column(enum_type(Kind, 16), index=True)
    page_size: Mapped[str] = mapped_column(String(8), default="A4")          # A4, A5
    orientation: Mapped[str] = mapped_column(String(16), default="landscape")  # portrait, landscape
    title: Mapped[str] = mapped_column(String(100))                          # printed at the top: 获奖证书
    issuer: Mapped[str] = mapped_column(String(200))                         # who issues: the association
    fields: Mapped[list] = mapped_column(JSON, default=list)
    background: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # PNG or JPEG
    has_background: Mapped[bool] = mapped_column(default=False)
    is_archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Certificate(db.Model):
    """One issued certificate. Immutable once issued except for its state (and who changed it)."""

    __tablename__ = "certificates"
    __table_args__ = (
        # One certificate in force per holder, subject and kind: issuing twice issues nothing
        # twice. A superseded one steps aside for its correction.
        Index("uq_certificates_current", "holder_id", "subject_key", "kind", unique=True,
              postgresql_where=text("state <> 'superseded'"), sqlite_where=text("state <> 'superseded'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)     # the verification code, ≥ 128 random bits
    kind: Mapped[Kind] = mapped_column(enum_type(Kind, 16))
    holder_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"), index=True)
    holder_name: Mapped[str] = mapped_column(String(64))            # as printed, kept as issued
    holder_id_masked: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(32))                 # which source issued it: manual, judges …
    subject_key: Mapped[str] = mapped_column(String(200))           # what it is about, for idempotence
    subject: Mapped[str] = mapped_column(String(300))               # what was certified, in words
    facts: Mapped[list] = mapped_column(JSON, default=list)         # [[label, value], …] as printed
    issued_on: Mapped[date] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(200))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("certificate_templates.id", ondelete="SET NULL"))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[State] = mapped_column(enum_type(State, 16), default=State.VALID)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="RESTRICT"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    superseded_by: Mapped["Certificate | None"] = relationship(foreign_keys=[superseded_by_id], remote_side=[id])
    supersedes: Mapped["Certificate | None"] = relationship(foreign_keys=[supersedes_id], remote_side=[id])


class CertificateDocument(db.Model):
    """The PDF as issued, apart from the certificate's row so that lists never load it."""

    __tablename__ = "certificate_documents"

    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="RESTRICT"),
                                                primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)


class BatchState(str, enum.Enum):
    PENDING = "pending"      # waiting for the scheduler
    RUNNING = "running"      # being issued (or interrupted: the next run resumes it)
    DONE = "done"            # every holder has their certificate (or a problem is named)


class CertificateBatch(db.Model):
    """Certificates issued at once from one source (a results snapshot, a closed class) with
    one template, by the scheduler's job, a chunk per transaction. `done` counts the holders
    who have their certificate, `issued` those this batch issued, `failed` those it could not."""

    __tablename__ = "certificate_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    ref: Mapped[int] = mapped_column(Integer)                      # the snapshot's or class's id
    kind: Mapped[Kind] = mapped_column(enum_type(Kind, 16))
    subject_key: Mapped[str] = mapped_column(String(200))          # what its certificates are about
    title: Mapped[str] = mapped_column(String(300))                # the source in words
    template_id: Mapped[int | None] = mapped_column(ForeignKey("certificate_templates.id", ondelete="SET NULL"))
    state: Mapped[BatchState] = mapped_column(enum_type(BatchState, 16), default=BatchState.PENDING, index=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    issued: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    problem: Mapped[str | None] = mapped_column(Text)              # the last holder it could not issue, and why
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    template: Mapped[CertificateTemplate | None] = relationship()

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)
