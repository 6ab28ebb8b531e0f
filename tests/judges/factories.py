"""Factories for the judge pool: levels, trades, judges and their records."""
from __future__ import annotations

from datetime import date

import factory
from sqlalchemy import select

from app.extensions import db
from app.judges.models import Availability, JudgeKind, JudgeLevel, JudgeProfile, Qualification, Speciality
from tests.factories import PersonFactory, _Base

# The migration seeds these; PostgreSQL runs truncate every table between tests, so a test
# that needs a level asks for it here and gets the seeded row or a new one alike.
SEEDED_LEVELS = {"national": ("国家级", "National", 30), "provincial": ("省级", "Provincial", 20),
                 "municipal": ("市级", "Municipal", 10)}


def level(code: str = "national") -> JudgeLevel:
    found = db.session.scalar(select(JudgeLevel).where(JudgeLevel.code == code))
    if found is None:
        name, name_en, rank = SEEDED_LEVELS.get(code, (code, code, 5))
        found = JudgeLevel(code=code, name=name, name_en=name_en, rank=rank)
        db.session.add(found)
        db.session.commit()
    return found


class SpecialityFactory(_Base):
    class Meta:
        model = Speciality

    code = factory.Sequence(lambda n: f"trade{n}")
    name = factory.Sequence(lambda n: f"工种{n}")


class JudgeFactory(_Base):
    """A judge in the pool, of the national level, with one trade unless given others."""

    class Meta:
        model = JudgeProfile

    person = factory.SubFactory(PersonFactory)
    kind = JudgeKind.JUDGE
    level = factory.LazyFunction(level)
    region = "北京市"

    @factory.post_generation
    def specialities(self, create, extracted, **kwargs):
        self.specialities = list(extracted) if extracted is not None else [SpecialityFactory()]
        if create:
            db.session.commit()


class QualificationFactory(_Base):
    class Meta:
        model = Qualification

    profile = factory.SubFactory(JudgeFactory)
    number = factory.Sequence(lambda n: f"CJ-{n:06d}")
    issuer = "中国职工技术协会"
    issued_on = date(2024, 1, 1)
    expires_on = date(2028, 12, 31)


class AvailabilityFactory(_Base):
    class Meta:
        model = Availability

    profile = factory.SubFactory(JudgeFactory)
    starts_on = date(2030, 5, 1)
    ends_on = date(2030, 5, 31)
