"""Column types shared by every feature's models."""
from __future__ import annotations

import enum

from sqlalchemy import Enum


def enum_type(enum_class: type[enum.Enum], length: int = 32) -> Enum:
    """A Python enum stored as its value in a VARCHAR (no database ENUM type, so adding a
    member needs no migration of the type), checked on the way in and out."""
    return Enum(enum_class, native_enum=False, length=length, validate_strings=True,
                values_callable=lambda members: [member.value for member in members])
