"""The pages, walked as people use them: an organiser adds a course session and opens the
check-in screen; a trainee opens the code's link on a phone (checked in, then "already"); an
old code is refused; the organiser marks someone by hand; materials go up and only reach
trainees holding a place; the instructor pool shows a teaching history."""
from __future__ import annotations

import io
import re
from datetime import timedelta

from itsdangerous.timed import TimestampSigner

from app.core.time import to_local, utcnow
from app.extensions import db
from app.trainings.models import Attendance, AttendanceMethod, CourseSession, TrainingClass
from app.trainings.services import checkin
from tests import factories as f
from tests.support import sign_in
from tests.trainings.attendance_support import class_running_now, enrolled_user, session_now


def _local(value) -> str:
    return to_local(value, "Asia/Shanghai").strftime("%Y-%m-%dT%H:%M")


def test_organiser_plans_a_session_shows_the_code_and_a_trainee_checks_in_by_its_link(app, monkeypatch):
    training_class = class_running_now()
    organiser = f.organiser(training_class=training_class)
    trainee, stranger = enrolled_user(training_class), f.UserFactory()
    teacher = f.PersonFactory(phone="13900002222", full_name="李讲师")
    desk = app.test_client()
    sign_in(desk, organiser)
    page = desk.post("/trainings/instructors/new", data={"person": "13900002222", "title": "技师", "is_active": "y"})
    assert page.status_code == 302
    instructor_id = int(page.headers["Location"].rsplit("/", 1)[-1])
    start = utcnow() - timedelta(minutes=5)
    url = f"/trainings/manage/classes/{training_class.id}/curriculum/new"
    refused = desk.post(url, data={"title": "", "kind": "lecture", "starts_at": _local(start), "ends_at": "",
                                   "hours": "x"})
    assert refused.status_code == 422 and refused.get_data(as_text=True).count("invalid-feedback") >= 3
    made = desk.post(url, data={"title": "带电作业安全", "kind": "lecture", "starts_at": _local(start),
                                "ends_at": _local(start + timedelta(hours=2)), "hours": "2.5", "place": "线上会议",
                                "instructor_ids": [str(instructor_id)]})
    assert made.status_code == 302, made.get_data(as_text=True)
    session = db.session.scalar(db.select(CourseSession).where(CourseSession.class_id == training_class.id))
    listing = desk.get(f"/trainings/manage/classes/{training_class.id}/curriculum").get_data(as_text=True)
    assert "带电作业安全" in listing and "李讲师" in listing
    assert "带电作业安全" in desk.get(f"/trainings/instructors/{instructor_id}").get_data(as_text=True)
    screen = desk.get(f"/trainings/manage/sessions/{session.id}/screen")
    assert screen.status_code == 200 and b"data:image/png;base64," in screen.data
    code = desk.get(f"/trainings/manage/sessions/{session.id}/screen/code").get_json()
    assert code["open"] and code["image"].startswith("data:image/png;base64,") and code["enrolled"] == 1
    link = re.sub(r"^https?://[^/]+", "", code["link"])

    phone = app.test_client()
    assert phone.get(link).status_code == 302            # not signed in: sign in first, then back here
    sign_in(phone, trainee)
    first = phone.get(link)
    assert first.status_code == 200 and b'data-outcome="checked-in"' in first.data
    assert b'data-outcome="already"' in phone.get(link).data
    with monkeypatch.context() as clock, app.test_request_context():   # a screenshot from a minute ago
        clock.setattr(TimestampSigner, "get_timestamp", lambda signer: int(utcnow().timestamp()) - 60)
        old = f"/trainings/sessions/{session.id}/check-in/{checkin.screen_token(session)}"
    other = app.test_client()
    sign_in(other, stranger)
    answer = other.get(old)
    assert answer.status_code == 409 and b'data-code="expired"' in answer.data
    assert b'data-code="not_enrolled"' in other.get(link).data
    # The organiser marks someone by hand; the roll says how each came.
    late = enrolled_user(training_class)
    assert desk.post(f"/trainings/manage/sessions/{session.id}/marks", data={"person_id": str(late.person_id),
                                                                             "reason": ""}).status_code == 422
    assert desk.post(f"/trainings/manage/sessions/{session.id}/marks",
                     data={"person_id": str(late.person_id), "reason": "手机没电"}).status_code == 302
    methods = db.session.scalars(db.select(Attendance.method).where(Attendance.session_id == session.id)).all()
    assert sorted(methods) == sorted([AttendanceMethod.QR, AttendanceMethod.MANUAL])
    roll = desk.get(f"/trainings/manage/sessions/{session.id}/roll").get_data(as_text=True)
    assert "手机没电" in roll
    hours = desk.get(f"/trainings/manage/classes/{training_class.id}/hours").get_data(as_text=True)
    assert hours.count("2.5") >= 2


def test_materials_reach_trainees_with_a_place_and_organisers_only(app):
    training_class = class_running_now()
    organiser = f.organiser(training_class=training_class)
    trainee = enrolled_user(training_class)
    desk = app.test_client()
    sign_in(desk, organiser)
    url = f"/trainings/manage/classes/{training_class.id}/materials"
    bad = desk.post(url, data={"title": "病毒", "file": (io.BytesIO(b"MZ\x90"), "slides.pdf")},
                    content_type="multipart/form-data")
    assert bad.status_code == 422 and "not what its name says" in bad.get_data(as_text=True)
    good = desk.post(url, data={"title": "第一讲讲义", "file": (io.BytesIO(b"%PDF-1.4 handout"), "lesson1.pdf")},
                     content_type="multipart/form-data")
    assert good.status_code == 302
    page = desk.get(f"/trainings/classes/{training_class.id}/materials").get_data(as_text=True)
    material_id = int(re.search(r"/trainings/materials/(\d+)", page).group(1))
    phone = app.test_client()
    sign_in(phone, trainee)
    download = phone.get(f"/trainings/materials/{material_id}")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 handout"
    assert download.mimetype == "application/pdf" and "attachment" in download.headers["Content-Disposition"]
    stranger = app.test_client()
    sign_in(stranger, f.UserFactory())
    assert stranger.get(f"/trainings/materials/{material_id}").status_code == 404
    closed = stranger.get(f"/trainings/classes/{training_class.id}/materials").get_data(as_text=True)
    assert "第一讲讲义" not in closed and 'data-testid="materials-closed"' in closed
    assert desk.post(f"/trainings/manage/materials/{material_id}/delete",
                     data={"material_id": str(material_id)}).status_code == 302
    assert db.session.get(TrainingClass, training_class.id) is not None
    assert phone.get(f"/trainings/materials/{material_id}").status_code == 404
