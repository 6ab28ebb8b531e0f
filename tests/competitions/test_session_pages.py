"""The staff pages of an event's sessions (场次), through the test client: the list as cards,
the form naming every problem at once, clashes shown with the reason, delete asking first and
refused while contestants have seats, a panel given to a session."""
from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import func, select

from app.competitions.models import ContestSession, SeatSource, SessionSeat
from app.extensions import db
from app.judges.models import Panel
from tests import factories as f
from tests.competitions.sessions_support import at, dated_event, make_session, room
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import enter, make_panel
from tests.support import sign_in


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def _form(hall, **changes) -> dict:
    data = {"name": "First session", "room_id": str(hall.id), "starts_at": "2030-05-03T09:00",
            "ends_at": "2030-05-03T12:00", "station_ids": "", "stage_id": ""}
    data.update(changes)
    return data


def _error_of(response, field: str) -> str:
    html = response.get_data(as_text=True)
    marker = f'data-field="{field}">'
    assert marker in html, f"no error under {field}"
    return unescape(html.split(marker, 1)[1].split("<", 1)[0])


def test_staff_add_a_session_and_see_it_as_a_card(client):
    event, hall = dated_event(), room("Hall A", stations=4)
    sign_in(client, f.staff())
    response = client.post(f"/manage/events/{event.id}/sessions/new", data=_form(hall, station_ids="1-3"))
    assert response.status_code == 302
    made = db.session.scalar(select(ContestSession))
    assert [s.number for s in made.stations] == [1, 2, 3] and made.starts_at == at(3, 9)
    page = client.get(f"/manage/events/{event.id}/sessions").get_data(as_text=True)
    assert 'data-testid="sessions"' in page and "table-cards" in page
    assert "2030-05-03 09:00–12:00" in page and "0 / 3" in page and "Hall A" in page
    assert 'data-label="Seats taken"' in page


def test_the_form_names_every_problem_at_once(client):
    event, hall = dated_event(), room(stations=1)
    sign_in(client, f.staff())
    response = client.post(f"/manage/events/{event.id}/sessions/new",
                           data=_form(hall, name="", starts_at="2030-05-09T09:00", ends_at="2030-05-09T08:00",
                                      station_ids="7"))
    assert response.status_code == 422
    for name in ("name", "ends_at", "station_ids"):
        assert _error_of(response, name)
    assert db.session.scalar(select(func.count(ContestSession.id))) == 0


def test_a_clash_is_shown_with_its_reason_and_nothing_is_added(client):
    event, hall = dated_event(), room("Hall A", stations=1)
    make_session(event, hall, at(3, 9), at(3, 12), name="Morning")
    sign_in(client, f.staff())
    response = client.post(f"/manage/events/{event.id}/sessions/new",
                           data=_form(hall, name="Overlap", starts_at="2030-05-03T11:00", ends_at="2030-05-03T13:00"))
    assert response.status_code == 409
    assert "is already booked 2030-05-03 09:00–12:00" in unescape(response.get_data(as_text=True))
    assert db.session.scalar(select(func.count(ContestSession.id))) == 1


def test_a_session_outside_the_events_dates_is_refused_on_the_page(client):
    event, hall = dated_event(), room(stations=1)
    sign_in(client, f.staff())
    response = client.post(f"/manage/events/{event.id}/sessions/new",
                           data=_form(hall, starts_at="2030-05-09T09:00", ends_at="2030-05-09T12:00"))
    assert response.status_code == 422 and "2030-05-03" in _error_of(response, "starts_at")


def test_editing_shows_the_stations_and_saves(client):
    event, hall = dated_event(), room(stations=3)
    made = make_session(event, hall)
    sign_in(client, f.staff())
    page = client.get(f"/manage/sessions/{made.id}/edit").get_data(as_text=True)
    assert 'value="1, 2, 3"' in page
    response = client.post(f"/manage/sessions/{made.id}/edit", data=_form(hall, name="Renamed", station_ids="2"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ContestSession, made.id).name == "Renamed"


def test_delete_asks_first_and_is_refused_while_contestants_have_seats(client):
    event, hall = dated_event(), room(stations=1)
    made = make_session(event, hall)
    person = f.PersonFactory()
    entry = enter(event, person, None)
    db.session.add(SessionSeat(session_id=made.id, registration_id=entry.id, person_id=person.id,
                               station_id=hall.stations[0].id, source=SeatSource.MANUAL))
    db.session.commit()
    sign_in(client, f.staff())
    page = client.get(f"/manage/events/{event.id}/sessions").get_data(as_text=True)
    assert "data-confirm=" in page and f"/manage/sessions/{made.id}/delete" in page
    response = client.post(f"/manage/sessions/{made.id}/delete")
    assert response.status_code == 409 and "1 contestants have seats" in unescape(response.get_data(as_text=True))
    db.session.query(SessionSeat).delete()
    db.session.commit()
    assert client.post(f"/manage/sessions/{made.id}/delete").status_code == 302
    assert db.session.scalar(select(func.count(ContestSession.id))) == 0


def test_staff_give_a_session_its_panel(client):
    event, hall = dated_event(), room(stations=1)
    made = make_session(event, hall)
    panel = make_panel(event, SpecialityFactory(), name="Panel A")
    sign_in(client, f.staff())
    response = client.post(f"/manage/sessions/{made.id}/panel", data={f"s{made.id}-panel_id": str(panel.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Panel, panel.id).session_id == made.id
    page = client.get(f"/manage/events/{event.id}/sessions").get_data(as_text=True)
    assert f'<option selected value="{panel.id}">' in page
    client.post(f"/manage/sessions/{made.id}/panel", data={f"s{made.id}-panel_id": ""})
    db.session.expire_all()
    assert db.session.get(Panel, panel.id).session_id is None


def test_staff_of_another_committee_may_not_see_the_sessions(client):
    event = dated_event(competition=f.CompetitionFactory(committee=f.CommitteeFactory()))
    sign_in(client, f.staff(f.CommitteeFactory()))
    assert client.get(f"/manage/events/{event.id}/sessions").status_code == 403
