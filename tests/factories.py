"""factory-boy factories: each builds a valid object; a test says only what matters to it."""
from __future__ import annotations

from datetime import date

import factory

from app.accounts.models import Person, User
from app.accounts.services.auth import hasher
from app.core import crypto, ids
from app.core.permissions import Grant, Role, ScopeType
from app.extensions import db
from app.orgs.models import Committee, Organisation, OrgType
from tests.support import TEST_PASSWORD

_PASSWORD_HASH = None


def credit_code(n: int) -> str:
    body = f"91110000{n:09d}"
    return body + ids.credit_code_check_char(body)


# Beijing's districts: 499 order codes a day each, so from the 499th number on (a worker of the
# parallel suite makes that many) the district moves on and no two numbers repeat.
DISTRICTS = ("110105", "110101", "110102", "110106", "110107", "110108", "110109", "110111")


def resident_id(n: int, born: date = date(1990, 1, 1), female: bool = False) -> str:
    """The n-th valid resident ID number of someone born on `born`."""
    sequence = (n % 499) * 2 + (0 if female else 1)
    district = DISTRICTS[n // 499 % len(DISTRICTS)]
    body = f"{district}{born:%Y%m%d}{sequence:03d}"
    return body + ids.resident_id_check_char(body)


class _Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class OrganisationFactory(_Base):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试单位{n}有限公司")
    credit_code = factory.Sequence(credit_code)
    province = "北京市"
    city = "北京市"
    org_type = OrgType.ENTERPRISE


class CommitteeFactory(_Base):
    class Meta:
        model = Committee

    code = factory.Sequence(lambda n: f"committee{n}")
    name = factory.Sequence(lambda n: f"专业委员会{n}")


class PersonFactory(_Base):
    """A person with a valid resident ID (encrypted, hashed and masked as the service does)."""

    class Meta:
        model = Person

    class Params:
        number = factory.Sequence(resident_id)

    full_name = factory.Sequence(lambda n: f"张{n}")
    id_type = ids.IdType.RESIDENT_ID
    id_number_encrypted = factory.LazyAttribute(lambda o: crypto.encrypt(o.number))
    id_hash = factory.LazyAttribute(lambda o: crypto.keyed_hash(ids.IdType.RESIDENT_ID.value, o.number))
    id_masked = factory.LazyAttribute(lambda o: ids.mask_id_number(o.number))
    birth_date = date(1990, 1, 1)


def _password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:  # argon2 is slow on purpose: hash the test password once
        _PASSWORD_HASH = hasher.hash(TEST_PASSWORD)
    return _PASSWORD_HASH


class UserFactory(_Base):
    class Meta:
        model = User

    person = factory.SubFactory(PersonFactory)
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password_hash = factory.LazyFunction(_password_hash)
    session_token = factory.Sequence(lambda n: f"{n:032x}")


def grant(user: User, role: Role, scope_type: ScopeType | None = None, scope_id: int | None = None) -> Grant:
    row = Grant(user_id=user.id, role=role, scope_type=scope_type, scope_id=scope_id)
    db.session.add(row)
    db.session.commit()
    return row


def admin() -> User:
    user = UserFactory()
    grant(user, Role.ADMIN)
    return user


def staff(committee: Committee | None = None) -> User:
    user = UserFactory()
    if committee is None:
        grant(user, Role.STAFF)
    else:
        grant(user, Role.STAFF, ScopeType.COMMITTEE, committee.id)
    return user


def liaison(org: Organisation) -> User:
    user = UserFactory(person__organisation_id=org.id)
    grant(user, Role.LIAISON, ScopeType.ORGANISATION, org.id)
    return user


# --- competitions ------------------------------------------------------------------------

from datetime import datetime, timedelta, timezone  # noqa: E402

from app.competitions.models import Competition, CompetitionLevel, Event  # noqa: E402


class CompetitionFactory(_Base):
    class Meta:
        model = Competition

    name = factory.Sequence(lambda n: f"第{n}届全国职工职业技能大赛")
    year = 2026
    level = CompetitionLevel.NATIONAL
    is_public = True


class EventFactory(_Base):
    """An individual event whose registration window is open now."""

    class Meta:
        model = Event

    competition = factory.SubFactory(CompetitionFactory)
    code = factory.Sequence(lambda n: f"E{n:02d}")
    name = factory.Sequence(lambda n: f"网络安全管理员{n}")
    capacity = 10
    opens_at = factory.LazyFunction(lambda: datetime.now(timezone.utc) - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: datetime.now(timezone.utc) + timedelta(days=30))
    seats_taken = 0
    waitlist_issued = 0
    exam_numbers_issued = 0


# --- trainings -----------------------------------------------------------------------------

from datetime import date as _date  # noqa: E402

from app.trainings.models import ClassCategory, ClassState, TrainingClass  # noqa: E402


class TrainingClassFactory(_Base):
    """A published class of this year whose enrolment window is open now."""

    class Meta:
        model = TrainingClass

    title = factory.Sequence(lambda n: f"电工技能提升培训班{n}")
    year = factory.LazyFunction(lambda: _date.today().year)
    category = ClassCategory.SKILL_UPGRADE
    state = ClassState.OPEN
    starts_on = factory.LazyFunction(lambda: _date.today() + timedelta(days=40))
    ends_on = factory.LazyFunction(lambda: _date.today() + timedelta(days=45))
    capacity = 10
    opens_at = factory.LazyFunction(lambda: datetime.now(timezone.utc) - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: datetime.now(timezone.utc) + timedelta(days=30))
    seats_taken = 0
    waitlist_issued = 0
    waitlist_left = 0
    has_unit_quotas = False


def organiser(training_class: TrainingClass | None = None, committee: Committee | None = None) -> User:
    """A training organiser of one class, of a committee's classes, or (neither) everywhere."""
    user = UserFactory()
    if training_class is not None:
        grant(user, Role.ORGANISER, ScopeType.TRAINING_CLASS, training_class.id)
    elif committee is not None:
        grant(user, Role.ORGANISER, ScopeType.COMMITTEE, committee.id)
    else:
        grant(user, Role.ORGANISER)
    return user
