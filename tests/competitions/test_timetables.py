"""Timetables: by day in the association's zone, who sees names, a fixed number of queries,
the pages, the PDFs and a person's own timetable."""
from __future__ import annotations

import subprocess
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event, select

from app.competitions.models import ContestSession
from app.competitions.services import timetables
from app.extensions import db
from app.judges.models import MemberStatus, PanelRole
from tests import factories as f
from tests.competitions import timetables_support as ts
from tests.support import need_tools, sign_in


@pytest.fixture(autouse=True)
def _english(client):
    client.get("/language/en")


def small_world():
    """One event with a morning session (09:00 Shanghai) of two seated contestants and a judge."""
    event = f.EventFactory()
    room, stations = ts.room_with_stations(3, equipment="台式机一台、万用表")
    morning = ts.session(event, room, stations, name="第1场")
    entries = [ts.approved_entry(event) for _ in range(2)]
    for entry, station in zip(entries, stations[1:]):
        ts.seat(morning, entry, station)
    judge = ts.seated_judge(morning, role=PanelRole.CHIEF)
    db.session.commit()
    return event, morning, entries, judge


@contextmanager
def counted_statements():
    """The SQL statements issued inside the block."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)


# --- the service ------------------------------------------------------------------------------

def test_sessions_are_grouped_by_day_in_the_association_zone():
    event = f.EventFactory()
    room, stations = ts.room_with_stations(2)
    # 17:00 UTC on the 9th is 01:00 on the 10th in Shanghai: the same local day as 09:00.
    late = ts.session(event, room, stations, starts_at=ts.MORNING - timedelta(hours=8), hours=1, name="夜场")
    morning = ts.session(event, room, stations, starts_at=ts.MORNING, name="早场")
    db.session.commit()
    table = timetables.event_timetable(event, None)
    assert [day.day.isoformat() for day in table.days] == ["2027-05-10"]
    assert [slot.id for slot in table.days[0].slots] == [late.id, morning.id]
    assert table.days[0].slots[1].starts_at.strftime("%H:%M") == "09:00"


def test_the_public_sees_sessions_without_names():
    event, morning, entries, _judge = small_world()
    slot = timetables.competition_timetable(event.competition, None).days[0].slots[0]
    assert (slot.seated, slot.capacity, slot.seats, slot.judges) == (2, 3, (), ())
    assert slot.place == "国家会展中心 · A101"


def test_people_involved_see_names_and_stations_but_no_exam_numbers():
    event, morning, entries, judge = small_world()
    contestant = f.UserFactory(person=entries[0].person)
    table = timetables.competition_timetable(event.competition, contestant)
    seats = table.days[0].slots[0].seats
    assert table.visibility == timetables.Visibility.NAMES
    assert [(seat.station, seat.name) for seat in seats] == [(2, entries[0].person.full_name),
                                                            (3, entries[1].person.full_name)]
    assert all(seat.exam_number is None and seat.unit is None for seat in seats)
    judge_user = f.UserFactory(person=judge.profile.person)
    assert timetables.competition_timetable(event.competition, judge_user).visibility == timetables.Visibility.NAMES
    assert timetables.competition_timetable(event.competition, f.UserFactory()).visibility == "sessions"


def test_staff_see_exam_numbers_and_judges_with_their_roles():
    event, morning, entries, judge = small_world()
    slot = timetables.competition_timetable(event.competition, f.staff()).days[0].slots[0]
    assert [seat.exam_number for seat in slot.seats] == [entry.exam_number for entry in entries]
    assert [(j.name, j.role) for j in slot.judges] == [(judge.profile.person.full_name, PanelRole.CHIEF)]


def test_a_withdrawn_entry_and_a_declined_judge_are_not_shown():
    event, morning, entries, judge = small_world()
    entries[0].is_active = False
    declined = ts.seated_judge(morning, status=MemberStatus.DECLINED)
    db.session.commit()
    slot = timetables.competition_timetable(event.competition, f.staff()).days[0].slots[0]
    assert [seat.person_id for seat in slot.seats] == [entries[1].person_id]
    assert declined.profile.person_id not in [j.person_id for j in slot.judges]


def test_out_of_service_stations_do_not_count():
    event = f.EventFactory()
    room, stations = ts.room_with_stations(4)
    stations[0].is_out_of_service = True
    ts.session(event, room, stations)
    db.session.commit()
    assert timetables.event_timetable(event, None).days[0].slots[0].stations == (2, 3, 4)


def test_a_persons_timetable_has_their_seats_and_their_panels():
    event, morning, entries, judge = small_world()
    room, stations = ts.room_with_stations(2, room="B202")
    afternoon = ts.session(event, room, stations, starts_at=ts.MORNING + timedelta(hours=5), name="第2场")
    ts.seated_judge(afternoon, person=entries[0].person)   # competes in the morning, judges later
    db.session.commit()
    found = timetables.appointments_of(entries[0].person_id)
    assert [(a.kind, a.session_id, a.station, a.equipment) for a in found] == [
        ("contest", morning.id, 2, "台式机一台、万用表"), ("judging", afternoon.id, None, None)]
    assert found[1].place == "国家会展中心 · B202" and found[1].role == PanelRole.JUDGE


# --- the number of statements ---------------------------------------------------------------

def _statements_of_the_page(client, competition_id: int, path: str = "/competitions/{}/timetable") -> tuple[int, bytes]:
    db.session.expunge_all()
    with counted_statements() as seen:
        response = client.get(path.format(competition_id))
    assert response.status_code == 200
    return len(seen), response.data


def test_the_competition_page_issues_as_many_statements_for_40_sessions_of_50_as_for_one(client):
    staff = f.staff()
    small = f.EventFactory()
    room, stations = ts.room_with_stations(2)
    one = ts.session(small, room, stations)
    ts.seat(one, ts.approved_entry(small), stations[0])
    ts.seated_judge(one)
    big = f.EventFactory()
    ts.crowded_event(big, sessions=40, contestants=50)
    ts.seated_judge(db.session.scalars(select(ContestSession).where(ContestSession.event_id == big.id)).first())
    db.session.commit()
    small_id, big_id = small.competition_id, big.competition_id
    small_event, big_event = small.id, big.id
    sign_in(client, staff)
    client.get(f"/competitions/{small_id}/timetable")  # warm: the first request loads more
    few, _ = _statements_of_the_page(client, small_id)
    many, page = _statements_of_the_page(client, big_id)
    assert page.count(b'data-testid="session-') >= 40 and "选手1999".encode() in page
    assert many == few, f"{few} statements for one session, {many} for 40 × 50"
    few, _ = _statements_of_the_page(client, small_event, "/events/{}/timetable")
    many, _ = _statements_of_the_page(client, big_event, "/events/{}/timetable")
    assert many == few, f"the event page: {few} statements for one session, {many} for 40 × 50"


# --- the pages ---------------------------------------------------------------------------

def test_the_competition_page_shows_times_places_and_for_staff_the_names(client):
    event, morning, entries, judge = small_world()
    page = client.get(f"/competitions/{event.competition_id}/timetable").get_data(as_text=True)
    assert "09:00–12:00" in page and "国家会展中心 · A101" in page and entries[0].person.full_name not in page
    sign_in(client, f.staff())
    page = client.get(f"/competitions/{event.competition_id}/timetable").get_data(as_text=True)
    assert entries[0].person.full_name in page and entries[0].exam_number in page


def test_an_unpublished_competitions_timetable_is_not_found_for_the_public(client):
    event, *_ = small_world()
    event.competition.is_public = False
    db.session.commit()
    assert client.get(f"/competitions/{event.competition_id}/timetable").status_code == 404
    assert client.get(f"/events/{event.id}/timetable.pdf").status_code == 404


def test_the_event_and_room_pages(client):
    event, morning, entries, judge = small_world()
    assert "第1场" in client.get(f"/events/{event.id}/timetable").get_data(as_text=True)
    sign_in(client, f.staff())
    page = client.get(f"/manage/rooms/{morning.room_id}/timetable?all=1").get_data(as_text=True)
    assert entries[1].person.full_name in page and "09:00–12:00" in page


def test_a_committees_staff_see_only_their_competitions_in_a_room(client):
    event, morning, entries, judge = small_world()
    other = f.CommitteeFactory()
    sign_in(client, f.staff(other))
    page = client.get(f"/manage/rooms/{morning.room_id}/timetable?all=1").get_data(as_text=True)
    assert "第1场" not in page and 'data-testid="timetable-empty"' in page


def test_my_timetable_shows_time_room_station_and_what_is_at_it(client):
    event, morning, entries, judge = small_world()
    user = f.UserFactory(person=entries[0].person)
    sign_in(client, user)
    page = client.get("/me/timetable").get_data(as_text=True)
    assert "09:00–12:00" in page and "国家会展中心 · A101" in page
    assert 'data-testid="appointment-station">Station: <strong>2</strong>' in page
    assert "台式机一台、万用表" in page


def test_someone_with_no_sessions_is_told_so(client):
    sign_in(client, f.UserFactory())
    assert 'data-testid="no-appointments"' in client.get("/me/timetable").get_data(as_text=True)


def _pdf_text(pdf: bytes, folder) -> str:
    need_tools("pdftotext")
    path = folder / "timetable.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_the_pdfs_print_what_the_pages_show(client, tmp_path):
    event, morning, entries, judge = small_world()
    public = client.get(f"/competitions/{event.competition_id}/timetable.pdf")
    assert public.mimetype == "application/pdf"
    text = _pdf_text(public.data, tmp_path)
    assert "09:00–12:00" in text and "A101" in text and entries[0].person.full_name not in text
    sign_in(client, f.staff())
    text = _pdf_text(client.get(f"/events/{event.id}/timetable.pdf").data, tmp_path)
    assert entries[0].person.full_name in text and entries[0].exam_number in text
    text = _pdf_text(client.get(f"/manage/rooms/{morning.room_id}/timetable.pdf?all=1").data, tmp_path)
    assert entries[1].person.full_name in text


def test_my_timetable_pdf_names_station_and_role(client, tmp_path):
    event, morning, entries, judge = small_world()
    sign_in(client, f.UserFactory(person=judge.profile.person))
    text = _pdf_text(client.get("/me/timetable.pdf").data, tmp_path)
    assert "国家会展中心 · A101" in text and "裁判长" in text


def test_a_long_timetable_flows_onto_more_pages(client, tmp_path):
    event = f.EventFactory()
    ts.crowded_event(event, sessions=4, contestants=50)
    sign_in(client, f.staff())
    pdf = client.get(f"/events/{event.id}/timetable.pdf").data
    pages = _pdf_text(pdf, tmp_path).split("\f")[:-1]
    assert len(pages) > 1 and "选手199" in "".join(pages)


# --- the API ----------------------------------------------------------------------------------

def _bearer(user) -> dict:
    from app.accounts.services.tokens import create_token

    _, text = create_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {text}"}


def test_the_competition_timetable_api_answers_what_the_page_shows(client):
    event, morning, entries, judge = small_world()
    body = client.get(f"/api/v1/competitions/{event.competition_id}/timetable").get_json()
    assert body["visibility"] == "sessions" and body["days"][0]["day"] == "2027-05-10"
    slot = body["days"][0]["sessions"][0]
    assert (slot["starts_at"], slot["place"], slot["stations"], slot["seated"], slot["seats"]) == (
        "2027-05-10T09:00:00+08:00", "国家会展中心 · A101", [1, 2, 3], 2, [])
    body = client.get(f"/api/v1/competitions/{event.competition_id}/timetable", headers=_bearer(f.staff())).get_json()
    seats = body["days"][0]["sessions"][0]["seats"]
    assert [(s["station"], s["exam_number"]) for s in seats] == [(2, entries[0].exam_number),
                                                                 (3, entries[1].exam_number)]
    assert body["days"][0]["sessions"][0]["judges"][0]["role"] == "chief"


def test_an_unpublished_competitions_timetable_api_is_not_found(client):
    event, *_ = small_world()
    event.competition.is_public = False
    db.session.commit()
    response = client.get(f"/api/v1/competitions/{event.competition_id}/timetable")
    assert response.status_code == 404 and response.get_json()["error"]["code"]


def test_my_timetable_api_lists_my_seats_and_panels(client):
    event, morning, entries, judge = small_world()
    body = client.get("/api/v1/me/timetable", headers=_bearer(f.UserFactory(person=entries[1].person))).get_json()
    assert [(s["kind"], s["session_id"], s["station"], s["place"]) for s in body["sessions"]] == [
        ("contest", morning.id, 3, "国家会展中心 · A101")]
    body = client.get("/api/v1/me/timetable", headers=_bearer(f.UserFactory(person=judge.profile.person))).get_json()
    assert [(s["kind"], s["role"]) for s in body["sessions"]] == [("judging", "chief")]
    assert client.get("/api/v1/me/timetable").status_code == 401


def test_staff_see_a_persons_timetable_in_the_competitions_they_manage(client, tmp_path):
    event, morning, entries, judge = small_world()
    committee = f.CommitteeFactory()
    event.competition.committee_id = committee.id
    db.session.commit()
    person_id = entries[0].person_id
    sign_in(client, f.staff(committee))
    page = client.get(f"/manage/people/{person_id}/timetable").get_data(as_text=True)
    assert "09:00–12:00" in page and "<strong>2</strong>" in page
    assert "A101" in _pdf_text(client.get(f"/manage/people/{person_id}/timetable.pdf").data, tmp_path)
    client.post("/logout", data={})
    sign_in(client, f.staff(f.CommitteeFactory()))
    page = client.get(f"/manage/people/{person_id}/timetable").get_data(as_text=True)
    assert "09:00–12:00" not in page and 'data-testid="no-appointments"' in page
