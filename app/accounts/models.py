"""People, their login accounts and their API tokens."""
from __future__ import annotations

import enum
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.ids import IdType
from app.core.time import UTCDateTime, utcnow
from app.core.types import enum_type
from app.extensions import db


class Gender(str, enum.Enum):
    MALE = "M"
    FEMALE = "F"


class SkillLevel(str, enum.Enum):
    """职业技能等级: level 5 is the entry grade, level 1 the highest."""

    LEVEL_5 = "5"   # 五级/初级工
    LEVEL_4 = "4"   # 四级/中级工
    LEVEL_3 = "3"   # 三级/高级工
    LEVEL_2 = "2"   # 二级/技师
    LEVEL_1 = "1"   # 一级/高级技师


class Person(db.Model):
    """A real person: contestant, trainee, judge and instructor are roles they play.

    The ID number is stored encrypted (`id_number_encrypted`), found by its keyed hash
    (`id_hash`, unique) and shown only masked (`id_masked`); see app.core.crypto.
    """

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(64))
    id_type: Mapped[IdType | None] = mapped_column(enum_type(IdType, 32))
    id_number_encrypted: Mapped[str | None] = mapped_column(Text)
    id_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    id_masked: Mapped[str | None] = mapped_column(String(32))
    gender: Mapped[Gender | None] = mapped_column(enum_type(Gender, 1))
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    job_title: Mapped[str | None] = mapped_column(String(64))
    skill_level: Mapped[SkillLevel | None] = mapped_column(enum_type(SkillLevel, 1))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation = relationship("Organisation", lazy="joined")
    user: Mapped["User | None"] = relationship(back_populates="person", uselist=False)

    AUDITED = ("full_name", "id_type", "id_masked", "gender", "birth_date", "organisation_id",
               "job_title", "skill_level")

    def __repr__(self) -> str:  # never the ID number or the name: logs see only the row id
        return f"<Person {self.id}>"


class User(UserMixin, db.Model):
    """A login. Identifiers are stored in their normal form (see core.identifiers)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"), unique=True)
    username: Mapped[str | None] = mapped_column(String(32), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))  # None until an invitee sets one
    # Part of the session cookie's user id: changing it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(String(32))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship(back_populates="user", lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def display_name(self) -> str:
        return self.person.full_name

    @property
    def login_name(self) -> str:
        return self.username or self.email or self.phone or str(self.id)

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class ApiToken(db.Model):
    """A personal API token. Only its SHA-256 is kept; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # shown in lists so people can tell them apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
