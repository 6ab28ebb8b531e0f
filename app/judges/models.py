"""The judge and expert pool (裁判员/专家库), panels (裁判组) and their draws (随机抽取).

A judge is a `Person` with a `JudgeProfile`; their unit is `person.organisation_id` (one
source of truth). A qualification's state (valid, expiring, expired) is derived from its
dates by app.judges.validity, never stored. A `Draw` is a record of one seeded selection:
seed, constraints, the candidate snapshot and the result, kept so that it can be
recomputed years later by app.judges.draw; it is written once and never updated.

Competition tables are named only by string foreign keys ("events.id"): judges sits
below competitions and never imports it.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, Date, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.core.types import enum_type
from app.extensions import db


class JudgeLevel(db.Model):
    """A level of the pool (国家级, 省级, 市级 …): staff keep the list; higher rank = more senior."""

    __tablename__ = "judge_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    rank: Mapped[int]

    def __repr__(self) -> str:
        return f"<JudgeLevel {self.code}>"


class Speciality(db.Model):
    """A trade (工种/专业) a judge can mark; staff keep the list."""

    __tablename__ = "specialities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))

    def __repr__(self) -> str:
        return f"<Speciality {self.code}>"


class JudgeKind(str, enum.Enum):
    JUDGE = "judge"     # 裁判员
    EXPERT = "expert"   # 专家
    BOTH = "both"       # 裁判员兼专家


judge_specialities = Table(
    "judge_specialities",
    db.metadata,
    Column("profile_id", ForeignKey("judge_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("speciality_id", ForeignKey("specialities.id", ondelete="RESTRICT"), primary_key=True),
)


class JudgeProfile(db.Model):
    """A person's place in the pool: kind, level, trades, region and their records."""

    __tablename__ = "judge_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"), unique=True)
    kind: Mapped[JudgeKind] = mapped_column(enum_type(JudgeKind, 16))
    level_id: Mapped[int] = mapped_column(ForeignKey("judge_levels.id", ondelete="RESTRICT"), index=True)
    region: Mapped[str | None] = mapped_column(String(64))     # the province the judge works in
    is_active: Mapped[bool] = mapped_column(default=True)      # inactive judges are never drawn
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person = relationship("Person", lazy="joined")
    level: Mapped[JudgeLevel] = relationship(lazy="joined")
    specialities: Mapped[list[Speciality]] = relationship(secondary=judge_specialities,
                                                          order_by="Speciality.code")
    qualifications: Mapped[list["Qualification"]] = relationship(
        back_populates="profile", order_by="Qualification.issued_on", cascade="all, delete-orphan")
    availability: Mapped[list["Availability"]] = relationship(
        back_populates="profile", order_by="Availability.starts_on", cascade="all, delete-orphan")
    conflicts: Mapped[list["DeclaredConflict"]] = relationship(
        back_populates="profile", order_by="DeclaredConflict.id", cascade="all, delete-orphan")

    AUDITED = ("kind", "level_id", "region", "is_active", "notes")

    def __repr__(self) -> str:
        return f"<JudgeProfile {self.id}>"


class Qualification(db.Model):
    """A judge qualification certificate (裁判员证书); its state is derived from the dates."""

    __tablename__ = "judge_qualifications"
    __table_args__ = (UniqueConstraint("profile_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("judge_profiles.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(64))
    issuer: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)   # None: does not expire
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    profile: Mapped[JudgeProfile] = relationship(back_populates="qualifications")

    AUDITED = ("number", "issuer", "issued_on", "expires_on")


class Availability(db.Model):
    """Dates (inclusive) the judge declared they are available."""

    __tablename__ = "judge_availability"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("judge_profiles.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))

    profile: Mapped[JudgeProfile] = relationship(back_populates="availability")

    AUDITED = ("starts_on", "ends_on", "note")


class DeclaredConflict(db.Model):
    """A relation that keeps the judge away from a person's or a unit's contestants."""

    __tablename__ = "judge_conflicts"
    __table_args__ = (
        CheckConstraint("(person_id IS NULL AND organisation_id IS NOT NULL)"
                        " OR (person_id IS NOT NULL AND organisation_id IS NULL)", name="one_party"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("judge_profiles.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    # The judge themself or a member of staff; None once that login is gone.
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    profile: Mapped[JudgeProfile] = relationship(back_populates="conflicts")
    person = relationship("Person")
    organisation = relationship("Organisation")
    declared_by = relationship("User")

    AUDITED = ("person_id", "organisation_id", "reason")


class CompatriotRule(str, enum.Enum):
    """How a panel treats a judge from a contestant's own unit (the compatriot rule)."""

    EXCLUDE = "exclude"     # such judges are not drawn
    WITHHOLD = "withhold"   # they may sit; their unit's contestants are withheld from their sheets


class PanelStatus(str, enum.Enum):
    OPEN = "open"       # constraints may change; not drawn yet
    DRAWN = "drawn"     # a draw has seated the panel
    CLOSED = "closed"


class Panel(db.Model):
    """The judges of one event (or one stage of it) on given dates, with its draw rules."""

    __tablename__ = "panels"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # The session (场次) the panel judges, and that session's interval, kept in step by the
    # competition's session service (judges cannot see sessions): the draw's busy rule reads
    # the interval when there is one, the dates when the panel has no session yet.
    session_id: Mapped[int | None] = mapped_column(ForeignKey("contest_sessions.id", ondelete="SET NULL"),
                                                   index=True)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    speciality_id: Mapped[int] = mapped_column(ForeignKey("specialities.id", ondelete="RESTRICT"))
    min_level_id: Mapped[int | None] = mapped_column(ForeignKey("judge_levels.id", ondelete="RESTRICT"))
    chiefs: Mapped[int] = mapped_column(default=1)
    judges: Mapped[int] = mapped_column(default=0)
    reserves: Mapped[int] = mapped_column(default=0)
    max_per_unit: Mapped[int | None]       # over chiefs + judges
    max_per_region: Mapped[int | None]     # over chiefs + judges
    compatriot_rule: Mapped[CompatriotRule] = mapped_column(enum_type(CompatriotRule, 16),
                                                            default=CompatriotRule.EXCLUDE)
    status: Mapped[PanelStatus] = mapped_column(enum_type(PanelStatus, 16), default=PanelStatus.OPEN)
    # The draw that seated the panel. Draws point at their panel too, so this key is
    # added after both tables exist (use_alter) and written after the draw (post_update).
    draw_id: Mapped[int | None] = mapped_column(
        ForeignKey("draws.id", ondelete="SET NULL", use_alter=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    speciality: Mapped[Speciality] = relationship()
    min_level: Mapped[JudgeLevel | None] = relationship()
    draw: Mapped["Draw | None"] = relationship(foreign_keys=[draw_id], post_update=True)
    members: Mapped[list["PanelMember"]] = relationship(back_populates="panel", order_by="PanelMember.id",
                                                        cascade="all, delete-orphan")

    AUDITED = ("name", "starts_on", "ends_on", "speciality_id", "min_level_id", "chiefs", "judges",
               "reserves", "max_per_unit", "max_per_region", "compatriot_rule", "status", "draw_id")


class SeedSource(str, enum.Enum):
    SECURE = "secure"         # from the operating system's secure random source at draw time
    WITNESSED = "witnessed"   # typed in front of witnesses


class Draw(db.Model):
    """One seeded draw for a panel: everything needed to recompute it. Never updated."""

    __tablename__ = "draws"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id", ondelete="CASCADE"), index=True)
    seed: Mapped[str] = mapped_column(String(200))
    seed_source: Mapped[SeedSource] = mapped_column(enum_type(SeedSource, 16))
    algorithm: Mapped[str] = mapped_column(String(64))
    constraints: Mapped[dict] = mapped_column(JSON)
    candidates: Mapped[list] = mapped_column(JSON)
    result: Mapped[dict] = mapped_column(JSON)
    witnesses: Mapped[str | None] = mapped_column(Text)
    ran_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    panel: Mapped[Panel] = relationship(foreign_keys=[panel_id])
    ran_by = relationship("User")


class PanelRole(str, enum.Enum):
    CHIEF = "chief"         # 裁判长
    JUDGE = "judge"         # 裁判员
    RECORDER = "recorder"   # 记录员
    RESERVE = "reserve"     # 备选


class MemberStatus(str, enum.Enum):
    STANDBY = "standby"     # a reserve in line (role reserve, reserve_order): not asked until a seat frees
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REPLACED = "replaced"
    REMOVED = "removed"


class MemberSource(str, enum.Enum):
    DRAW = "draw"
    MANUAL = "manual"
    REPLACEMENT = "replacement"


class PanelMember(db.Model):
    """A judge's seat on a panel: role, invitation state and how they got there."""

    __tablename__ = "panel_members"
    __table_args__ = (UniqueConstraint("panel_id", "profile_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id", ondelete="CASCADE"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("judge_profiles.id", ondelete="RESTRICT"), index=True)
    role: Mapped[PanelRole] = mapped_column(enum_type(PanelRole, 16))
    reserve_order: Mapped[int | None]       # reserves only: 1 is asked first
    status: Mapped[MemberStatus] = mapped_column(enum_type(MemberStatus, 16), default=MemberStatus.INVITED)
    source: Mapped[MemberSource] = mapped_column(enum_type(MemberSource, 16))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("panel_members.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str | None] = mapped_column(Text)

    panel: Mapped[Panel] = relationship(back_populates="members")
    profile: Mapped[JudgeProfile] = relationship()
    replaces: Mapped["PanelMember | None"] = relationship(remote_side=[id])

    AUDITED = ("role", "reserve_order", "status", "decline_reason")
