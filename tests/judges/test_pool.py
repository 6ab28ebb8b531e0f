"""The pool's services: adding judges (existing or new people), changing and deactivating
them, and finding them by every filter the list offers."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Person
from app.accounts.services.people import PersonFields
from app.core import ids
from app.core.audit import AuditEntry
from app.core.errors import Conflict, InvalidInput, PermissionDenied
from app.judges import validity
from app.judges.models import JudgeKind, JudgeProfile
from app.judges.services import pool
from app.judges.services.pool import PoolFilter, ProfileFields
from tests.factories import (CommitteeFactory, OrganisationFactory, PersonFactory, UserFactory, admin, liaison,
                             resident_id, staff)
from tests.judges.factories import JudgeFactory, QualificationFactory, SpecialityFactory, level

TODAY = date(2026, 6, 1)


def fields(**changes) -> ProfileFields:
    base = dict(kind=JudgeKind.JUDGE, level_id=level().id, speciality_ids=[SpecialityFactory().id], region="江苏省")
    return ProfileFields(**(base | changes))


def audit_actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_staff_add_a_new_person_as_a_judge_by_id_number(db):
    unit = OrganisationFactory(province="江苏省")
    profile = pool.add_judge(PersonFields(full_name="王 裁判", id_type=ids.IdType.RESIDENT_ID,
                                          id_number=resident_id(7), organisation_id=unit.id),
                             fields(region=None), actor=staff())
    assert profile.person.full_name == "王 裁判" and profile.person.organisation_id == unit.id
    assert profile.region == "江苏省"  # no region given: the unit's province
    assert profile.person.id_masked == ids.mask_id_number(resident_id(7))
    assert audit_actions(db) == ["person.created", "judge.created"]


def test_a_known_id_number_puts_that_person_in_the_pool_unchanged(db):
    person = PersonFactory(full_name="李四", number=resident_id(3), phone="13800000000")
    profile = pool.add_judge(PersonFields(full_name="李四", id_type=ids.IdType.RESIDENT_ID, id_number=resident_id(3),
                                          phone="13911111111"), fields(), actor=staff())
    assert profile.person_id == person.id and person.phone == "13800000000"
    assert db.session.scalar(select(func.count(Person.id))) == 2  # the person and the staff member


def test_a_known_id_number_under_another_name_is_refused(db):
    PersonFactory(full_name="李四", number=resident_id(3))
    with pytest.raises(InvalidInput) as refused:
        pool.add_judge(PersonFields(full_name="李五", id_type=ids.IdType.RESIDENT_ID, id_number=resident_id(3)),
                       fields(), actor=staff())
    assert refused.value.field == "full_name" and "李四" in refused.value.message
    assert db.session.scalar(select(func.count(JudgeProfile.id))) == 0


def test_a_person_is_in_the_pool_once(db):
    judge = JudgeFactory()
    with pytest.raises(Conflict):
        pool.create_profile(judge.person, fields(), actor=staff())


@pytest.mark.parametrize("number, message", [
    ("110105199001011234", "check digit"), ("1.10105E+17", "18 characters"), ("", "enter the ID"),
])
def test_a_bad_id_number_is_refused_and_creates_nobody(db, number, message):
    actor = staff()
    before = db.session.scalar(select(func.count(Person.id)))
    with pytest.raises(InvalidInput) as refused:
        pool.add_judge(PersonFields(full_name="王五", id_type=ids.IdType.RESIDENT_ID, id_number=number), fields(),
                       actor=actor)
    assert refused.value.field == "id_number" and message in refused.value.message
    assert db.session.scalar(select(func.count(Person.id))) == before


def test_a_full_width_id_number_is_read_as_its_digits(db):
    wide = resident_id(9).translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    profile = pool.add_judge(PersonFields(full_name="赵六", id_type=ids.IdType.RESIDENT_ID, id_number=wide),
                             fields(), actor=staff())
    assert profile.person.id_masked == ids.mask_id_number(resident_id(9))


@pytest.mark.parametrize("change, field", [
    ({"kind": None}, "kind"), ({"level_id": None}, "level_id"), ({"level_id": 999999}, "level_id"),
    ({"speciality_ids": []}, "speciality_ids"), ({"speciality_ids": [999999]}, "speciality_ids"),
    ({"region": "省" * 65}, "region"), ({"notes": "x" * 2001}, "notes"),
])
def test_bad_profile_fields_are_refused_before_anyone_is_created(db, change, field):
    actor = staff()
    with pytest.raises(InvalidInput) as refused:
        pool.add_judge(PersonFields(full_name="王五", id_type=ids.IdType.RESIDENT_ID, id_number=resident_id(5)),
                       fields(**change), actor=actor)
    assert refused.value.field == field
    assert pool.people.find_by_id_number(ids.IdType.RESIDENT_ID, resident_id(5)) is None


def test_committee_staff_and_liaisons_may_not_change_the_pool(db):
    judge = JudgeFactory()
    for outsider in (staff(CommitteeFactory()), liaison(OrganisationFactory()), UserFactory()):
        with pytest.raises(PermissionDenied):
            pool.update_profile(judge, fields(), actor=outsider)
        with pytest.raises(PermissionDenied):
            pool.create_profile(PersonFactory(), fields(), actor=outsider)
    assert pool.may_manage(admin()) and not pool.may_manage(staff(CommitteeFactory()))


def test_an_update_is_audited_with_the_trades_before_and_after(db):
    welding, wiring = SpecialityFactory(code="welder"), SpecialityFactory(code="electrician")
    judge = JudgeFactory(specialities=[welding])
    pool.update_profile(judge, fields(speciality_ids=[welding.id, wiring.id], kind=JudgeKind.BOTH,
                                      level_id=level("provincial").id), actor=staff())
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "judge.updated")).one()
    assert entry.before["speciality_codes"] == ["welder"]
    assert entry.after["speciality_codes"] == ["electrician", "welder"]
    assert entry.after["kind"] == "both" and judge.level.code == "provincial"


def test_deactivating_keeps_the_records_and_leaves_the_active_list(db):
    judge = QualificationFactory().profile
    pool.set_active(judge, False, actor=staff(), reason="退休")
    assert judge.qualifications and not judge.is_active
    assert db.session.scalars(pool.pool_query(PoolFilter(), TODAY)).all() == []
    assert db.session.scalars(pool.pool_query(PoolFilter(is_active=False), TODAY)).all() == [judge]
    pool.set_active(judge, True, actor=staff())
    assert audit_actions(db)[-2:] == ["judge.deactivated", "judge.reactivated"]


def test_the_list_filters_by_kind_level_trade_region_and_unit(db):
    unit = OrganisationFactory()
    welding = SpecialityFactory()
    a = JudgeFactory(kind=JudgeKind.EXPERT, level=level("provincial"), region="江苏省",
                     person=PersonFactory(organisation_id=unit.id), specialities=[welding])
    b = JudgeFactory()

    def found(**flt):
        return db.session.scalars(pool.pool_query(PoolFilter(**flt), TODAY)).all()

    assert set(found()) == {a, b}
    assert found(kind=JudgeKind.EXPERT) == [a]
    assert found(level_id=level("provincial").id) == [a]
    assert found(speciality_id=welding.id) == [a]
    assert found(region="江苏省") == [a]
    assert found(organisation_id=unit.id) == [a]


def test_the_search_finds_by_name_whole_id_number_and_certificate_number(db):
    judge = JudgeFactory(person=PersonFactory(full_name="欧阳锋", number=resident_id(11)))
    QualificationFactory(profile=judge, number="CJ-2024-0001")
    JudgeFactory()
    for term in ("欧阳", resident_id(11), "CJ-2024-0001"):
        assert db.session.scalars(pool.pool_query(PoolFilter(search=term), TODAY)).all() == [judge], term
    assert db.session.scalars(pool.pool_query(PoolFilter(search="%"), TODAY)).all() == []


# Each judge's certificates (issued, expires), and the standing they give on TODAY.
STANDINGS = [
    ([(date(2020, 1, 1), None)], validity.VALID),
    ([(date(2020, 1, 1), TODAY + timedelta(days=30))], validity.EXPIRING),
    ([(date(2020, 1, 1), TODAY - timedelta(days=1))], validity.EXPIRED),
    ([(date(2020, 1, 1), TODAY - timedelta(days=1)), (date(2026, 1, 1), TODAY + timedelta(days=400))], validity.VALID),
    ([(date(2020, 1, 1), TODAY - timedelta(days=1)), (TODAY + timedelta(days=1), None)], validity.NOT_YET_VALID),
    ([(date(2020, 1, 1), TODAY + timedelta(days=10)), (date(2020, 1, 1), TODAY - timedelta(days=10))],
     validity.EXPIRING),
    ([], validity.NONE),
]


def test_the_state_filter_agrees_with_the_pure_standing_rule(db):
    judges = {}
    for index, (certificates, standing) in enumerate(STANDINGS):
        judge = JudgeFactory()
        for number, (issued_on, expires_on) in enumerate(certificates):
            QualificationFactory(profile=judge, number=f"N{number}", issued_on=issued_on, expires_on=expires_on)
        assert validity.judge_state(certificates, TODAY) == standing
        judges[judge.id] = standing
    for state in validity.JUDGE_STATES:
        found = {p.id for p in db.session.scalars(pool.pool_query(PoolFilter(state=state), TODAY))}
        assert found == {judge_id for judge_id, standing in judges.items() if standing == state}, state
    profiles = db.session.scalars(select(JudgeProfile)).all()
    assert pool.states_of(profiles, TODAY) == judges
    assert pool.state_counts(TODAY)[validity.VALID] == 2
