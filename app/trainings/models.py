"""Training classes (培训班) and everything that hangs from one: the plan (一班一方案), course
sessions and their instructors, materials, enrolments, attendance, assessments, completion
records and evaluations; the year's targets.

The counters on `TrainingClass` (`seats_taken`, `waitlist_issued`, `waitlist_left`) and on
`TrainingQuota` (`used`) change only through conditional UPDATEs (app.core.seats, configured
in app.trainings.services.capacity), which lock the class row for the rest of the
transaction: many web workers never overbook a class.

Who organises a class is a grant, not a column: the role "organiser" (or staff) in the
class's scope (`ScopeType.TRAINING_CLASS`, this id) or in its committee's
(app.trainings.services.access).
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text,
                        UniqueConstraint, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.core.types import enum_type
from app.extensions import db


class ClassCategory(str, enum.Enum):
    REFEREE = "referee"              # 裁判员培训
    SKILL_UPGRADE = "skill_upgrade"  # 技能提升
    INNOVATION = "innovation"        # 创新方法
    CYBERSECURITY = "cybersecurity"  # 网络安全
    OTHER = "other"


class ClassFormat(str, enum.Enum):
    IN_PERSON = "in_person"  # 线下
    ONLINE = "online"        # 线上
    MIXED = "mixed"          # 线上线下结合


class ClassState(str, enum.Enum):
    """draft ──publish──▶ open ──start──▶ running ──close──▶ closed (──reopen, with a reason──▶ running).
    Whether enrolment is open is derived from the window and the clock, not from the state."""
    DRAFT = "draft"        # 草稿: only organisers see it
    OPEN = "open"          # 已发布: trainees see it; enrolment within its window
    RUNNING = "running"    # 进行中
    CLOSED = "closed"      # 已结班: completion records frozen


class TrainingYear(db.Model):
    """The year's programme targets (年度培训计划): how many trainees the association means to train."""

    __tablename__ = "training_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    target_trainees: Mapped[int] = mapped_column(default=0)
    target_classes: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TrainingClass(db.Model):
    """A class and its plan (一班一方案)."""

    __tablename__ = "training_classes"
    __table_args__ = (CheckConstraint("capacity >= 0", name="class_capacity"),
                      Index("ix_training_classes_year_state", "year", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[ClassCategory] = mapped_column(enum_type(ClassCategory, 32))
    state: Mapped[ClassState] = mapped_column(enum_type(ClassState, 16), default=ClassState.DRAFT)
    # The organising committee; None: the association itself. Its staff and organisers manage the class.
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id", ondelete="RESTRICT"), index=True)
    # A class commissioned by a member unit (委托培训).
    commissioning_unit_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"),
                                                              index=True)
    target_trainees: Mapped[str | None] = mapped_column(Text)   # who it is for (培训对象)
    objectives: Mapped[str | None] = mapped_column(Text)        # 培训目标
    format: Mapped[ClassFormat] = mapped_column(enum_type(ClassFormat, 16), default=ClassFormat.IN_PERSON)
    venue: Mapped[str | None] = mapped_column(String(200))      # place as text (rooms: the sessions')
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int]
    # The enrolment window: open when opens_at <= now < closes_at (derived, never switched).
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Eligibility, as for events (each None / False: no rule).
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    age_reference_date: Mapped[date | None] = mapped_column(Date)   # default: the class's first day
    min_skill_level: Mapped[str | None] = mapped_column(String(1))  # "3" = level 3 or higher (2, 1)
    requires_member_unit: Mapped[bool] = mapped_column(default=False)
    only_commissioning_unit: Mapped[bool] = mapped_column(default=False)  # a commissioned class for its unit only
    # The completion rule, shown to trainees: attendance ≥ share of the hours, assessment result ≥ pass mark.
    min_attendance_percent: Mapped[int] = mapped_column(default=80)
    pass_mark: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("60"))
    # QR check-in: how long before/after a session a check-in is accepted, and a token's life.
    checkin_grace_minutes: Mapped[int] = mapped_column(default=15)
    qr_window_seconds: Mapped[int] = mapped_column(default=30)
    # Referee training (裁判员培训): completion grants or renews a judge qualification.
    is_referee_training: Mapped[bool] = mapped_column(default=False)
    grants_level_id: Mapped[int | None] = mapped_column(ForeignKey("judge_levels.id", ondelete="RESTRICT"))
    grants_validity_years: Mapped[int | None]
    # Counters: changed only by conditional UPDATEs (services/capacity.py over app.core.seats).
    seats_taken: Mapped[int] = mapped_column(default=0)
    waitlist_issued: Mapped[int] = mapped_column(default=0)
    waitlist_left: Mapped[int] = mapped_column(default=0)
    has_unit_quotas: Mapped[bool] = mapped_column(default=False)
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("training_classes.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    committee = relationship("Committee")
    commissioning_unit = relationship("Organisation")
    grants_level = relationship("JudgeLevel")
    grants_trades = relationship("Speciality", secondary="training_class_trades", order_by="Speciality.name")
    quotas: Mapped[list["TrainingQuota"]] = relationship(back_populates="training_class",
                                                         cascade="all, delete-orphan")
    sessions: Mapped[list["CourseSession"]] = relationship(back_populates="training_class",
                                                           order_by="CourseSession.starts_at",
                                                           cascade="all, delete-orphan")
    assessments: Mapped[list["Assessment"]] = relationship(back_populates="training_class",
                                                           order_by="Assessment.position",
                                                           cascade="all, delete-orphan")

    AUDITED = ("title", "category", "state", "committee_id", "commissioning_unit_id", "format", "venue",
               "starts_on", "ends_on", "capacity", "opens_at", "closes_at", "min_age", "max_age",
               "min_skill_level", "requires_member_unit", "only_commissioning_unit", "min_attendance_percent",
               "pass_mark", "is_referee_training", "grants_level_id", "grants_validity_years")

    def is_enrolment_open(self, now: datetime) -> bool:
        """Enrolment is open when the class is published and opens_at <= now < closes_at."""
        return self.state == ClassState.OPEN and self.opens_at <= now < self.closes_at

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    @property
    def waiting(self) -> int:
        """How many are on the waiting list now."""
        return self.waitlist_issued - self.waitlist_left

    def __repr__(self) -> str:
        return f"<TrainingClass {self.id}>"


class TrainingClassTrade(db.Model):
    """A trade (工种) the qualification granted by a referee-training class covers."""

    __tablename__ = "training_class_trades"

    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), primary_key=True)
    speciality_id: Mapped[int] = mapped_column(ForeignKey("specialities.id", ondelete="RESTRICT"), primary_key=True)


class TrainingQuota(db.Model):
    """How many trainees one member unit may enrol in one class."""

    __tablename__ = "training_quotas"
    __table_args__ = (UniqueConstraint("class_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    quota: Mapped[int]
    used: Mapped[int] = mapped_column(default=0)

    training_class: Mapped[TrainingClass] = relationship(back_populates="quotas")
    organisation = relationship("Organisation")


# --- enrolment ---------------------------------------------------------------------------------

class EnrolmentStatus(str, enum.Enum):
    ENROLLED = "enrolled"    # 已报名: holds a place
    WAITING = "waiting"      # 候补
    WITHDRAWN = "withdrawn"  # 已退出


class EnrolmentChannel(str, enum.Enum):
    SELF = "self"          # the trainee enrolled themself
    LIAISON = "liaison"    # their unit's liaison, one by one
    EXCEL = "excel"        # their unit's liaison (or staff), by an Excel sheet
    STAFF = "staff"        # an organiser


# An enrolment given a waiting-list position that waits no more (promoted or withdrawn).
LEFT_WAITLIST = "waitlist_position IS NOT NULL AND (holds_seat OR NOT is_active)"


class Enrolment(db.Model):
    """One trainee in one class."""

    __tablename__ = "enrolments"
    __table_args__ = (
        # One active enrolment per person and class: a double click or two tabs get one.
        Index("uq_enrolments_class_person_active", "class_id", "person_id", unique=True,
              sqlite_where=text("is_active"), postgresql_where=text("is_active")),
        UniqueConstraint("class_id", "waitlist_position"),
        Index("ix_enrolments_class_status", "class_id", "status"),
        Index("ix_enrolments_class_waitlist_left", "class_id", "waitlist_position",
              sqlite_where=text(LEFT_WAITLIST), postgresql_where=text(LEFT_WAITLIST)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"),
                                                        index=True)
    status: Mapped[EnrolmentStatus] = mapped_column(enum_type(EnrolmentStatus, 16))
    is_active: Mapped[bool] = mapped_column(default=True)     # not withdrawn
    holds_seat: Mapped[bool] = mapped_column(default=False)
    counts_against_quota: Mapped[bool] = mapped_column(default=False)
    waitlist_position: Mapped[int | None]                     # issued in order, never reused
    channel: Mapped[EnrolmentChannel] = mapped_column(enum_type(EnrolmentChannel, 16))
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdraw_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    training_class: Mapped[TrainingClass] = relationship()
    person = relationship("Person")
    organisation = relationship("Organisation")

    AUDITED = ("status", "holds_seat", "waitlist_position", "withdraw_reason")

    # Not stored: the place on the waiting list when this enrolment was made (services.enrolment).
    place_at_entry = None  # int | None


# --- assessment, completion, evaluation ----------------------------------------------------

class AssessmentKind(str, enum.Enum):
    THEORY = "theory"        # 理论
    PRACTICAL = "practical"  # 实操


class Assessment(db.Model):
    """One assessment of a class, marked out of `max_mark`; the class result is the weighted mean."""

    __tablename__ = "assessments"
    __table_args__ = (CheckConstraint("weight >= 0", name="assessment_weight"),
                      CheckConstraint("max_mark > 0", name="assessment_max_mark"))

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[AssessmentKind] = mapped_column(enum_type(AssessmentKind, 16))
    max_mark: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("100"))
    pass_mark: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("60"))
    weight: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("1"))
    position: Mapped[int] = mapped_column(default=1)

    training_class: Mapped[TrainingClass] = relationship(back_populates="assessments")

    AUDITED = ("title", "kind", "max_mark", "pass_mark", "weight")


class AssessmentMark(db.Model):
    """One trainee's mark in one assessment."""

    __tablename__ = "assessment_marks"
    __table_args__ = (UniqueConstraint("assessment_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"))
    mark: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assessment: Mapped[Assessment] = relationship()

    AUDITED = ("mark",)


class CompletionRecord(db.Model):
    """What closing a class froze for one trainee: the facts a certificate will show."""

    __tablename__ = "completion_records"
    __table_args__ = (UniqueConstraint("class_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"),
                                                        index=True)
    hours_attended: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    hours_total: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    attendance_percent: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    result: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))   # weighted assessment result; None: none
    passed: Mapped[bool]
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date] = mapped_column(Date)
    qualification_id: Mapped[int | None] = mapped_column(ForeignKey("judge_qualifications.id", ondelete="SET NULL"))
    frozen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    frozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    training_class: Mapped[TrainingClass] = relationship()
    person = relationship("Person")

    AUDITED = ("hours_attended", "hours_total", "attendance_percent", "result", "passed", "qualification_id")


class Evaluation(db.Model):
    """A trainee's evaluation of a class (1–5 and a comment); organisers see only an anonymous summary."""

    __tablename__ = "training_evaluations"
    __table_args__ = (UniqueConstraint("class_id", "person_id"),
                      CheckConstraint("rating BETWEEN 1 AND 5", name="evaluation_rating"))

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"))
    rating: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The curriculum and attendance live in course_models.py; they are named here too, so every
# model of the package is imported from one place.
from app.trainings.course_models import (AttendanceMethod, Attendance, CourseSession,  # noqa: E402,F401
                                         CourseSessionInstructor, Instructor, Material, SessionKind)
