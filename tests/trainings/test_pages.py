"""The trainings pages, walked as people use them: an organiser plans and publishes a class,
a trainee enrols from the class page, a liaison enrols the unit's people by an Excel list
(nothing while a row is wrong), and the year's programme shows, exports and copies."""
from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook

from app.core import excel
from app.extensions import db
from app.trainings.models import ClassState, Enrolment, EnrolmentStatus, TrainingClass
from app.trainings.services import enrol_sheet
from tests import factories as f
from tests.accounts.sessions import enter_as
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)


def _plan(**changes) -> dict:
    year = date.today().year + 1
    return {"title": "电工技能提升培训班", "category": "skill_upgrade", "year": str(year), "committee_id": "",
            "format": "in_person", "starts_on": f"{year}-03-02", "ends_on": f"{year}-03-06", "capacity": "2",
            "opens_at": f"{year - 1}-01-01T08:00", "closes_at": f"{year}-03-01T18:00",
            "min_attendance_percent": "80", "pass_mark": "60", "venue": "北京", **changes}


def test_an_organiser_plans_a_class_every_problem_at_once_then_publishes_it_and_a_trainee_enrols(client, db):
    organiser = f.organiser()
    enter_as(client, organiser)
    refused = client.post("/manage/trainings/new", data=_plan(title="", capacity="0", ends_on="2000-01-01"))
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert html.count("invalid-feedback") >= 3
    assert client.post("/manage/trainings/new", data=_plan()).status_code == 302
    training_class = db.session.scalar(db.select(TrainingClass))
    assert training_class.state == ClassState.DRAFT
    assert client.get(f"/trainings/{training_class.id}").status_code == 200        # its organiser sees the draft
    client.post(f"/manage/trainings/{training_class.id}/advance")
    db.session.refresh(training_class)
    assert training_class.state == ClassState.OPEN

    trainee = f.UserFactory()
    enter_as(client, trainee)
    page = client.get(f"/trainings/{training_class.id}").get_data(as_text=True)
    assert 'data-testid="enrol"' in page and "80 %" in page
    assert client.post(f"/trainings/{training_class.id}/enrol").status_code == 302
    mine = client.get("/me/trainings").get_data(as_text=True)
    assert training_class.title in mine
    row = db.session.scalar(db.select(Enrolment))
    assert row.status == EnrolmentStatus.ENROLLED
    assert client.post(f"/me/trainings/{row.id}/withdraw", data={"reason": "出差"}).status_code == 302
    db.session.refresh(row)
    assert row.status == EnrolmentStatus.WITHDRAWN


def _sheet(rows: list[list]) -> bytes:
    return excel.write_workbook(enrol_sheet.HEADERS, rows, enrol_sheet.SHEET_TITLE)


def test_a_liaison_list_with_one_bad_row_enrols_nobody_and_a_good_one_enrols_all_in_order(client, db):
    unit = f.OrganisationFactory()
    liaison = f.liaison(unit)
    training_class = f.TrainingClassFactory(capacity=1)
    people = [f.PersonFactory(organisation_id=unit.id, number=f.resident_id(500 + n)) for n in range(2)]
    enter_as(client, liaison)
    url = f"/unit/{unit.id}/trainings/{training_class.id}/sheet"
    bad = _sheet([[people[0].full_name, "", f.resident_id(500)], ["无名", "", "110101199001011234"]])
    answer = client.post(url, data={"file": (io.BytesIO(bad), "list.xlsx")})
    assert answer.status_code == 422 and 'data-row="3"' in answer.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Enrolment.id))) == 0
    good = _sheet([[person.full_name, "", f.resident_id(500 + n)] for n, person in enumerate(people)])
    preview = client.post(url, data={"file": (io.BytesIO(good), "list.xlsx")}).get_data(as_text=True)
    assert 'data-testid="import-ready"' in preview
    token = preview.split('name="token" type="hidden" value="')[1].split('"')[0]
    assert client.post(url + "/confirm", data={"token": token}).status_code == 302
    rows = db.session.scalars(db.select(Enrolment).order_by(Enrolment.id)).all()
    assert [row.status for row in rows] == [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING]


def test_the_programme_counts_against_the_target_exports_and_a_class_copies_into_next_year(client, db):
    staff = f.staff()
    this_year = date.today().year
    training_class = f.TrainingClassFactory(year=this_year, starts_on=date(this_year, 6, 1),
                                            ends_on=date(this_year, 6, 3), seats_taken=0)
    enter_as(client, staff)
    client.post(f"/manage/trainings/programme/target?year={this_year}", data={"target_trainees": "4000"})
    page = client.get(f"/manage/trainings/programme?year={this_year}").get_data(as_text=True)
    assert training_class.title in page and "4000" in page
    calendar = client.get(f"/manage/trainings/programme/calendar?year={this_year}&month=6").get_data(as_text=True)
    assert training_class.title in calendar
    export = client.get(f"/manage/trainings/programme/export?year={this_year}")
    sheet = load_workbook(io.BytesIO(export.data)).active
    assert sheet["A2"].value == training_class.title
    assert client.post(f"/manage/trainings/{training_class.id}/copy",
                       data={"year": str(this_year + 1)}).status_code == 302
    copy = db.session.scalar(db.select(TrainingClass).where(TrainingClass.year == this_year + 1))
    assert copy.copied_from_id == training_class.id and copy.state == ClassState.DRAFT
    assert copy.starts_on == date(this_year + 1, 6, 1) and copy.ends_on - copy.starts_on == timedelta(days=2)
