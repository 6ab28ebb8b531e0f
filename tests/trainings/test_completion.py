"""Assessments, marks (page and Excel), closing and reopening, referee qualifications and
evaluations, through the services."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.core.audit import AuditEntry
from app.core.errors import InvalidInput, Locked, NotEligible
from app.core.excel import RowsRefused
from app.core.transaction import unit_of_work
from app.extensions import db
from app.judges import validity
from app.judges.models import JudgeLevel, Speciality
from app.judges.services import pool
from app.notifications.models import Notification
from app.trainings.models import (Attendance, AttendanceMethod, AssessmentKind, ClassCategory, ClassState,
                                  CourseSession, Enrolment, EnrolmentChannel, TrainingClass, TrainingClassTrade)
from app.trainings.services import assessments, completion, dashboards, enrolment, evaluations, marks_sheet
from tests import factories as f

NOW = datetime(2026, 6, 1, 1, tzinfo=timezone.utc)


def class_with_trainees(count: int, **fields):
    """A running class of three 4-hour sessions and `count` enrolled trainees (users)."""
    training_class = f.TrainingClassFactory(**fields)
    organiser = f.organiser(training_class=training_class)
    users = [f.UserFactory() for _ in range(count)]
    with unit_of_work():
        for number in range(3):
            db.session.add(CourseSession(class_id=training_class.id, title=f"第{number + 1}讲", hours=Decimal(4),
                                         starts_at=NOW + timedelta(days=number), ends_at=NOW + timedelta(days=number, hours=4)))
        for user in users:
            enrolment.enrol(db.session.get(TrainingClass, training_class.id), user.person, actor=organiser,
                            channel=EnrolmentChannel.STAFF)
    return db.session.get(TrainingClass, training_class.id), organiser, users


def attend(training_class, user, sessions: int) -> None:
    row = db.session.scalar(select(Enrolment).where(Enrolment.class_id == training_class.id,
                                                    Enrolment.person_id == user.person_id))
    with unit_of_work():
        for session in training_class.sessions[:sessions]:
            db.session.add(Attendance(class_id=training_class.id, session_id=session.id, enrolment_id=row.id,
                                      person_id=user.person_id, method=AttendanceMethod.MANUAL, reason="测试"))


def theory_and_practical(training_class, organiser):
    with unit_of_work():
        theory = assessments.add_assessment(training_class, assessments.AssessmentFields(
            "理论考试", AssessmentKind.THEORY, Decimal(100), Decimal(60), Decimal("0.4")), actor=organiser)
        practical = assessments.add_assessment(training_class, assessments.AssessmentFields(
            "实操考核", AssessmentKind.PRACTICAL, Decimal(50), Decimal(30), Decimal("0.6")), actor=organiser)
    return theory, practical


def test_marks_are_stored_whole_or_not_at_all_and_closing_freezes_who_completed(app):
    training_class, organiser, (good, absent, weak) = class_with_trainees(3)
    theory, practical = theory_and_practical(training_class, organiser)
    with pytest.raises(InvalidInput) as refused:
        assessments.record_marks(theory, {e.id: text for e, text in zip(assessments.trainees(training_class),
                                                                         ("90", "abc", "101"))}, actor=organiser)
    assert len(refused.value.problems) == 2
    db.session.rollback()
    assert assessments.marks_of(training_class) == {}
    by_person = {row.person_id: row for row in assessments.trainees(training_class)}
    with unit_of_work():
        assessments.record_marks(theory, {by_person[good.person_id].id: "60", by_person[absent.person_id].id: "95",
                                          by_person[weak.person_id].id: "59"}, actor=organiser)
        assessments.record_marks(practical, {by_person[good.person_id].id: "30", by_person[absent.person_id].id: "50",
                                             by_person[weak.person_id].id: "29.5"}, actor=organiser)
    attend(training_class, good, 3)
    attend(training_class, absent, 2)   # 8 of 12 hours: 66.6 %
    attend(training_class, weak, 3)
    preview = {item.enrolment.person_id: item for item in completion.outcomes(training_class)}
    assert preview[good.person_id].outcome.result == Decimal("60.00")   # exactly at the pass mark
    assert preview[weak.person_id].passes == {theory.id: False, practical.id: False}
    with unit_of_work():
        records = completion.close(training_class, actor=organiser, today=date(2026, 6, 5))
    assert {row.person_id: row.passed for row in records} == {good.person_id: True, absent.person_id: False,
                                                            weak.person_id: False}
    assert {row.person_id: row.attendance_percent for row in records}[absent.person_id] == Decimal("66.6")
    told = db.session.scalars(select(Notification.user_id).where(Notification.kind == "training.completed")).all()
    assert told == [good.id]
    with pytest.raises(Locked):
        assessments.record_marks(theory, {by_person[weak.person_id].id: "99"}, actor=organiser)
    db.session.rollback()
    figures = dashboards.class_figures(db.session.get(TrainingClass, training_class.id))
    assert (figures.enrolled, figures.passed, figures.pass_rate, [s.attended for s in figures.sessions]) == (
        3, 1, Decimal("33.3"), [3, 3, 2])

    with pytest.raises(InvalidInput):
        completion.reopen(db.session.get(TrainingClass, training_class.id), "  ", actor=organiser)
    with unit_of_work():
        completion.reopen(db.session.get(TrainingClass, training_class.id), "成绩录入有误", actor=organiser)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "training_class.reopened")).one()
    assert entry.reason == "成绩录入有误"
    with unit_of_work():
        assessments.record_marks(theory, {by_person[weak.person_id].id: "99"}, actor=organiser)
        records = completion.close(db.session.get(TrainingClass, training_class.id), actor=organiser,
                                   today=date(2026, 6, 6))
    assert sorted(row.person_id for row in records if row.passed) == sorted([good.person_id, weak.person_id])
    own = dashboards.own_classes(weak.person)
    assert (own[0].hours, own[0].passed) == (Decimal(12), True)


def test_an_excel_sheet_of_marks_lists_every_bad_cell_and_stores_nothing_until_it_is_clean(app):
    from io import BytesIO

    from openpyxl import load_workbook

    training_class, organiser, users = class_with_trainees(2)
    theory, _practical = theory_and_practical(training_class, organiser)
    book = load_workbook(BytesIO(marks_sheet.workbook(training_class)))
    sheet = book.active
    sheet["D2"], sheet["E2"], sheet["D3"], sheet["E3"] = "88", "45", "-1", "x"
    bad = BytesIO()
    book.save(bad)
    check = marks_sheet.check_file(bad.getvalue(), training_class, actor=organiser)
    assert [(error.row, error.column[:2]) for error in check.errors] == [(3, "理论"), (3, "实操")]
    with pytest.raises(RowsRefused):
        marks_sheet.import_file(bad.getvalue(), training_class, actor=organiser)
    db.session.rollback()
    assert assessments.marks_of(training_class) == {}
    sheet["D3"], sheet["E3"] = "70", None
    good = BytesIO()
    book.save(good)
    with unit_of_work():
        assert marks_sheet.import_file(good.getvalue(), training_class, actor=organiser) == 3


def test_closing_a_referee_class_grants_a_valid_qualification_in_the_judge_pool(app):
    level = db.session.scalars(select(JudgeLevel).order_by(JudgeLevel.rank)).first()
    trade = Speciality(code="DG", name="电工")
    db.session.add(trade)
    db.session.commit()
    training_class, organiser, (trainee,) = class_with_trainees(
        1, category=ClassCategory.REFEREE, is_referee_training=True, grants_level_id=level.id,
        grants_validity_years=4, min_attendance_percent=0)
    with unit_of_work():
        db.session.add(TrainingClassTrade(class_id=training_class.id, speciality_id=trade.id))
    today = date.today()
    with unit_of_work():
        completion.close(db.session.get(TrainingClass, training_class.id), actor=organiser, today=today)
    found = db.session.scalars(pool.pool_query(pool.PoolFilter(state=validity.VALID), today)).all()
    assert [profile.person_id for profile in found] == [trainee.person_id]
    assert [s.code for s in found[0].specialities] == ["DG"]
    assert found[0].qualifications[0].expires_on == today.replace(year=today.year + 4) - timedelta(days=1)


def test_evaluations_are_after_the_class_once_each_and_summarised_only_from_five_answers(app):
    training_class, organiser, users = class_with_trainees(5)
    with pytest.raises(NotEligible):
        evaluations.submit(training_class, users[0].person, 5, None, today=date.today())
    with unit_of_work():
        completion.close(training_class, actor=organiser, today=date.today())
    for number, user in enumerate(users[:4]):
        with unit_of_work():
            evaluations.submit(training_class, user.person, number + 1, f"意见{number}", today=date.today())
    assert evaluations.summary(training_class).mean is None
    with unit_of_work():
        evaluations.submit(training_class, users[4].person, 5, None, today=date.today())
    summary = evaluations.summary(training_class)
    assert (summary.answers, summary.mean, summary.spread[5]) == (5, Decimal("3.0"), 1)
    assert summary.comments == ["意见0", "意见1", "意见2", "意见3"]
    assert training_class.state == ClassState.CLOSED
