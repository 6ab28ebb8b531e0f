"""Member units (会员单位) and the association's specialist committees (专业委员会)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.time import UTCDateTime, utcnow
from app.core.types import enum_type
from app.extensions import db


class OrgType(str, enum.Enum):
    ENTERPRISE = "enterprise"            # 企业
    PUBLIC_INSTITUTION = "institution"   # 事业单位
    GOVERNMENT = "government"            # 机关
    SOCIAL_ORGANISATION = "social"       # 社会团体
    SCHOOL = "school"                    # 院校
    OTHER = "other"                      # 其他


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)  # 统一社会信用代码
    province: Mapped[str] = mapped_column(String(32))
    city: Mapped[str | None] = mapped_column(String(32))
    org_type: Mapped[OrgType] = mapped_column(enum_type(OrgType, 16))
    contact_name: Mapped[str | None] = mapped_column(String(64))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    AUDITED = ("name", "credit_code", "province", "city", "org_type", "contact_name",
               "contact_phone", "contact_email", "address")

    def __repr__(self) -> str:
        return f"<Organisation {self.id}>"


class Committee(db.Model):
    """A specialist committee; staff grants can be scoped to one."""

    __tablename__ = "committees"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
