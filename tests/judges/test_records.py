"""A judge's records: certificates (staff), available dates and declared conflicts (the
judge themself or staff), each refusal with its reason and every change audited."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core.audit import AuditEntry
from app.core.errors import Conflict, InvalidInput, PermissionDenied
from app.judges.models import Availability, DeclaredConflict, Qualification
from app.judges.services import records
from app.judges.services.records import ConflictFields, QualificationFields
from tests.factories import CommitteeFactory, OrganisationFactory, PersonFactory, UserFactory, resident_id, staff
from tests.judges.factories import AvailabilityFactory, JudgeFactory, QualificationFactory

TODAY = date(2026, 6, 1)


@pytest.fixture
def judge_user(db):
    """A signed-in person who is a judge in the pool."""
    user = UserFactory()
    JudgeFactory(person=user.person)
    return user


def count(db, model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


# --- qualifications ------------------------------------------------------------------------------

def test_staff_record_a_certificate_and_it_is_audited(db):
    judge = JudgeFactory()
    made = records.add_qualification(judge, QualificationFields(" CJ-1 ", "中国职工技术协会", date(2024, 1, 1),
                                                                date(2029, 1, 1)), actor=staff(), today=TODAY)
    assert made.number == "CJ-1" and judge.qualifications == [made]
    assert actions(db) == ["judge.qualification_added"]


@pytest.mark.parametrize("data, field", [
    (QualificationFields("", "协会", date(2024, 1, 1)), "number"),
    (QualificationFields("N" * 65, "协会", date(2024, 1, 1)), "number"),
    (QualificationFields("N1", " ", date(2024, 1, 1)), "issuer"),
    (QualificationFields("N1", "协会", None), "issued_on"),
    (QualificationFields("N1", "协会", date(2026, 6, 2)), "issued_on"),       # in the future
    (QualificationFields("N1", "协会", date(1900, 1, 1)), "issued_on"),       # a typing error
    (QualificationFields("N1", "协会", date(2024, 1, 1), date(2023, 12, 31)), "expires_on"),
    (QualificationFields("N1", "协会", date(2024, 1, 1), date(9999, 1, 1)), "expires_on"),
])
def test_bad_certificates_are_refused_naming_the_field(db, data, field):
    judge = JudgeFactory()
    with pytest.raises(InvalidInput) as refused:
        records.add_qualification(judge, data, actor=staff(), today=TODAY)
    assert refused.value.field == field
    assert count(db, Qualification) == 0


def test_a_certificate_number_is_unique_per_judge_only(db):
    first = QualificationFactory(number="CJ-7")
    with pytest.raises(Conflict):
        records.add_qualification(first.profile, QualificationFields("CJ-7", "协会", date(2024, 1, 1)), actor=staff(),
                                  today=TODAY)
    other = records.add_qualification(JudgeFactory(), QualificationFields("CJ-7", "协会", date(2024, 1, 1)),
                                      actor=staff(), today=TODAY)
    assert other.number == "CJ-7"


def test_renewing_a_certificate_keeps_the_old_dates_in_the_audit_log(db):
    qualification = QualificationFactory(expires_on=date(2026, 7, 1))
    records.update_qualification(qualification, QualificationFields(qualification.number, "协会", date(2026, 5, 1),
                                                                     date(2030, 5, 1)), actor=staff(), today=TODAY)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "judge.qualification_updated")).one()
    assert entry.before["expires_on"] == "2026-07-01" and entry.after["expires_on"] == "2030-05-01"


def test_the_judge_cannot_record_or_remove_their_own_certificates(db, judge_user):
    judge = db.session.scalars(select(records.JudgeProfile)).one()
    with pytest.raises(PermissionDenied):
        records.add_qualification(judge, QualificationFields("N", "协会", date(2024, 1, 1)), actor=judge_user,
                                  today=TODAY)
    qualification = QualificationFactory(profile=judge)
    with pytest.raises(PermissionDenied):
        records.remove_qualification(qualification, actor=judge_user)
    records.remove_qualification(qualification, actor=staff())
    assert count(db, Qualification) == 0


# --- availability --------------------------------------------------------------------------------

def test_the_judge_declares_their_own_dates(db, judge_user):
    judge = db.session.scalars(select(records.JudgeProfile)).one()
    made = records.add_availability(judge, date(2026, 7, 1), date(2026, 7, 5), "暑期", actor=judge_user, today=TODAY)
    assert (made.starts_on, made.ends_on, made.note) == (date(2026, 7, 1), date(2026, 7, 5), "暑期")
    assert actions(db) == ["judge.availability_added"]


def test_ranges_that_overlap_or_touch_are_merged(db):
    judge = JudgeFactory()
    AvailabilityFactory(profile=judge, starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 5))
    AvailabilityFactory(profile=judge, starts_on=date(2026, 7, 20), ends_on=date(2026, 7, 25))
    AvailabilityFactory(profile=judge, starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 2))
    db.session.expire(judge)
    records.add_availability(judge, date(2026, 7, 6), date(2026, 7, 19), None, actor=staff(), today=TODAY)
    ranges = db.session.scalars(select(Availability).order_by(Availability.starts_on))
    assert [(a.starts_on, a.ends_on) for a in ranges] == [(date(2026, 7, 1), date(2026, 7, 25)),
                                                          (date(2026, 9, 1), date(2026, 9, 2))]


@pytest.mark.parametrize("starts_on, ends_on, field", [
    (None, date(2026, 7, 1), "starts_on"), (date(2026, 7, 1), None, "ends_on"),
    (date(2026, 7, 2), date(2026, 7, 1), "ends_on"),        # reversed
    (date(2026, 5, 1), date(2026, 5, 31), "ends_on"),       # over already
    (date(2026, 7, 1), date(2027, 7, 2), "ends_on"),        # more than a year
    (date(2026, 7, 1), date(3000, 1, 1), "ends_on"),
])
def test_bad_dates_are_refused(db, judge_user, starts_on, ends_on, field):
    judge = db.session.scalars(select(records.JudgeProfile)).one()
    with pytest.raises(InvalidInput) as refused:
        records.add_availability(judge, starts_on, ends_on, None, actor=judge_user, today=TODAY)
    assert refused.value.field == field
    assert count(db, Availability) == 0


def test_another_person_cannot_touch_a_judges_dates(db):
    availability = AvailabilityFactory()
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        records.add_availability(availability.profile, date(2026, 8, 1), date(2026, 8, 2), None, actor=stranger,
                                 today=TODAY)
    with pytest.raises(PermissionDenied):
        records.remove_availability(availability, actor=stranger)
    with pytest.raises(PermissionDenied):
        records.remove_availability(availability, actor=staff(CommitteeFactory()))
    assert count(db, Availability) == 1


# --- declared conflicts --------------------------------------------------------------------------

def test_the_judge_declares_a_conflict_with_a_unit(db, judge_user):
    judge = db.session.scalars(select(records.JudgeProfile)).one()
    unit = OrganisationFactory()
    conflict = records.declare_conflict(judge, ConflictFields("曾在该单位任职", organisation_id=unit.id), actor=judge_user)
    assert conflict.organisation_id == unit.id and conflict.person_id is None
    assert conflict.declared_by_id == judge_user.id


def test_a_person_is_named_by_name_and_id_number_and_nobody_learns_who_holds_a_number(db, judge_user):
    judge = db.session.scalars(select(records.JudgeProfile)).one()
    relative = PersonFactory(full_name="张小明", number=resident_id(40))
    made = records.declare_conflict(judge, ConflictFields("亲属", person_name="张小明", person_id_number=resident_id(40)),
                                    actor=judge_user)
    assert made.person_id == relative.id
    messages = set()
    for name, number in (("张大明", resident_id(40)), ("张小明", resident_id(41))):
        with pytest.raises(InvalidInput) as refused:
            records.declare_conflict(judge, ConflictFields("亲属", person_name=name, person_id_number=number),
                                     actor=judge_user)
        messages.add(refused.value.message)
    assert len(messages) == 1  # a wrong name and an unknown number read the same


@pytest.mark.parametrize("data, field", [
    (ConflictFields(""), "reason"),
    (ConflictFields("x" * 1001, organisation_id=1), "reason"),
    (ConflictFields("原因"), "organisation_id"),                                     # neither
    (ConflictFields("原因", organisation_id=1, person_id=1), "organisation_id"),     # both
    (ConflictFields("原因", organisation_id=999999), "organisation_id"),
    (ConflictFields("原因", person_id=999999), "person_id"),
    (ConflictFields("原因", person_name="某", person_id_number="12345"), "person_id_number"),
])
def test_bad_conflicts_are_refused(db, data, field):
    judge = JudgeFactory()
    with pytest.raises(InvalidInput) as refused:
        records.declare_conflict(judge, data, actor=staff())
    assert refused.value.field == field
    assert count(db, DeclaredConflict) == 0


def test_a_conflict_with_oneself_or_twice_with_the_same_unit_is_refused(db):
    judge = JudgeFactory()
    with pytest.raises(InvalidInput):
        records.declare_conflict(judge, ConflictFields("本人", person_id=judge.person_id), actor=staff())
    unit = OrganisationFactory()
    records.declare_conflict(judge, ConflictFields("任职", organisation_id=unit.id), actor=staff())
    with pytest.raises(Conflict):
        records.declare_conflict(judge, ConflictFields("再次", organisation_id=unit.id), actor=staff())


def test_the_judge_removes_their_own_declarations_but_not_those_staff_recorded(db, judge_user):
    judge = db.session.scalars(select(records.JudgeProfile)).one()
    own = records.declare_conflict(judge, ConflictFields("任职", organisation_id=OrganisationFactory().id),
                                   actor=judge_user)
    by_staff = records.declare_conflict(judge, ConflictFields("举报", organisation_id=OrganisationFactory().id),
                                        actor=staff())
    with pytest.raises(PermissionDenied):
        records.remove_conflict(by_staff, actor=judge_user)
    records.remove_conflict(own, actor=judge_user)
    assert db.session.scalars(select(DeclaredConflict)).all() == [by_staff]
    with pytest.raises(PermissionDenied):
        records.declare_conflict(judge, ConflictFields("x", organisation_id=OrganisationFactory().id),
                                 actor=UserFactory())
    records.remove_conflict(by_staff, actor=staff())
    assert count(db, DeclaredConflict) == 0
    assert actions(db)[-1] == "judge.conflict_removed"


def test_the_database_refuses_a_conflict_naming_both_or_neither(db):
    judge = JudgeFactory()
    for person_id, organisation_id in ((None, None), (judge.person_id, OrganisationFactory().id)):
        db.session.add(DeclaredConflict(profile=judge, person_id=person_id, organisation_id=organisation_id,
                                        reason="x"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
