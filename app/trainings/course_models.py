"""The curriculum of a class and who came: instructors (师资), course sessions, their
instructors, materials and attendance. Imported through app.trainings.models."""
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.core.types import enum_type
from app.extensions import db


# --- the curriculum ------------------------------------------------------------------------

class Instructor(db.Model):
    """A person in the shared instructor pool (师资); their teaching history is their sessions."""

    __tablename__ = "instructors"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"), unique=True)
    title: Mapped[str | None] = mapped_column(String(100))      # 职称, e.g. 高级工程师
    expertise: Mapped[str | None] = mapped_column(String(500))  # what they teach
    bio: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person = relationship("Person")
    sessions: Mapped[list["CourseSession"]] = relationship(secondary="course_session_instructors",
                                                           back_populates="instructors",
                                                           order_by="CourseSession.starts_at", viewonly=True)

    AUDITED = ("title", "expertise", "is_active")


class SessionKind(str, enum.Enum):
    LECTURE = "lecture"      # 理论授课
    PRACTICAL = "practical"  # 实操
    EXAM = "exam"            # 考核


class CourseSession(db.Model):
    """One course session of a class's curriculum over [starts_at, ends_at), in a room. The room
    and the instructors are held through app.scheduling bookings (owner "course_session", this id)."""

    __tablename__ = "course_sessions"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="course_session_interval"),
                      CheckConstraint("hours >= 0", name="course_session_hours"))

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[SessionKind] = mapped_column(enum_type(SessionKind, 16), default=SessionKind.LECTURE)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))       # class hours (学时) it counts for
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="RESTRICT"), index=True)
    room_booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"))
    place: Mapped[str | None] = mapped_column(String(200))      # online link or a place without a room
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    training_class: Mapped["TrainingClass"] = relationship(back_populates="sessions")
    room = relationship("Room")
    instructors: Mapped[list[Instructor]] = relationship(secondary="course_session_instructors",
                                                         back_populates="sessions")

    AUDITED = ("title", "kind", "starts_at", "ends_at", "hours", "room_id", "place")


class CourseSessionInstructor(db.Model):
    """An instructor teaching a session, and the scheduling booking that holds them then."""

    __tablename__ = "course_session_instructors"

    session_id: Mapped[int] = mapped_column(ForeignKey("course_sessions.id", ondelete="CASCADE"), primary_key=True)
    instructor_id: Mapped[int] = mapped_column(ForeignKey("instructors.id", ondelete="RESTRICT"), primary_key=True,
                                               index=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"))


class Material(db.Model):
    """An uploaded course material (slides, handouts), served only to enrolled trainees and organisers."""

    __tablename__ = "training_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("course_sessions.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    AUDITED = ("title", "filename", "content_type", "size_bytes", "sha256")



# --- attendance --------------------------------------------------------------------------

class AttendanceMethod(str, enum.Enum):
    QR = "qr"          # the trainee scanned the session's rotating QR code
    MANUAL = "manual"  # an organiser marked it by hand, with a reason (audited)


class Attendance(db.Model):
    """A trainee was at a course session: one row per trainee and session."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("session_id", "person_id"),
                      Index("ix_attendances_class_person", "class_id", "person_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("course_sessions.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"))
    method: Mapped[AttendanceMethod] = mapped_column(enum_type(AttendanceMethod, 16))
    reason: Mapped[str | None] = mapped_column(Text)          # why it was marked by hand
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    attended_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[CourseSession] = relationship()
    person = relationship("Person")

    AUDITED = ("session_id", "person_id", "method", "reason")
