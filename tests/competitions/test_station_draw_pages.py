"""The station draw's staff page and its JSON API: who may use them, running the draw, the
result in names, the record and its check, moving and swapping seats with a reason."""
from __future__ import annotations

from sqlalchemy import func, select

from app.competitions.models import ContestSessionStation, SessionSeat, StationDraw
from app.competitions.services import seats
from app.extensions import db
from app.scheduling.models import Station
from tests import factories as f
from tests.competitions.seating_support import approved, contest_session
from tests.judges.test_panel_api import assert_error, headers
from tests.support import sign_in


def _event_with_entries(n: int = 3, stations: int = 4):
    event = f.EventFactory(capacity=20)
    contest_session(event, stations=stations)
    org = f.OrganisationFactory(name="第一钢铁厂")
    entries = [approved(event, org) for _ in range(n)]
    return event, entries


def test_staff_run_the_draw_from_the_page_and_see_names_and_the_record(client):
    event, entries = _event_with_entries()
    sign_in(client, f.staff())
    client.get("/language/en")
    page = client.get(f"/manage/events/{event.id}/station-draw")
    assert page.status_code == 200 and 'data-testid="draw-form"' in page.text and "data-confirm" in page.text
    done = client.post(f"/manage/events/{event.id}/station-draw", data={"seed_source": "secure"},
                       follow_redirects=True)
    assert done.status_code == 200
    assert all(entry.person.full_name in done.text for entry in entries) and "第一钢铁厂" in done.text
    record = db.session.scalar(select(StationDraw))
    assert record.seed in done.text and f"schedule verify-draw {record.id}" in done.text
    checked = client.get(f"/manage/events/{event.id}/station-draw/verify")
    assert 'data-testid="verification"' in checked.text and "Identical" in checked.text


def test_a_witnessed_seed_without_witnesses_is_marked_on_the_form_and_nothing_is_drawn(client):
    event, _entries = _event_with_entries()
    sign_in(client, f.staff())
    answer = client.post(f"/manage/events/{event.id}/station-draw",
                         data={"seed_source": "witnessed", "seed": "2030", "witnesses": ""})
    assert answer.status_code == 422 and 'data-field="witnesses"' in answer.text
    assert db.session.scalar(select(func.count(SessionSeat.id))) == 0


def test_too_few_places_are_said_with_the_numbers(client):
    event, _entries = _event_with_entries(n=3, stations=2)
    sign_in(client, f.staff())
    client.get("/language/en")
    answer = client.post(f"/manage/events/{event.id}/station-draw", data={"seed_source": "secure"})
    assert answer.status_code == 409 and 'data-testid="refusal"' in answer.text and "3 contestants" in answer.text


def test_a_seat_change_needs_a_reason_and_a_swap_exchanges_the_two(client):
    event, entries = _event_with_entries(n=2)
    sign_in(client, f.staff())
    client.post(f"/manage/events/{event.id}/station-draw", data={"seed_source": "secure"})
    first, second = seats.seats_of(event.id, None)
    place = f"{second.session_id}:{second.station_id}"
    before = {first.person_id: first.station_id, second.person_id: second.station_id}
    refused = client.post(f"/manage/events/{event.id}/station-draw/seats",
                          data={"seat_id": first.id, "place": place, "reason": ""})
    assert refused.status_code == 422 and 'data-field="reason"' in refused.text
    junk = client.post(f"/manage/events/{event.id}/station-draw/seats",
                       data={"seat_id": first.id, "place": "x:y", "reason": "换"})
    assert junk.status_code == 422 and 'data-field="place"' in junk.text
    swapped = client.post(f"/manage/events/{event.id}/station-draw/seats",
                          data={"seat_id": first.id, "place": place, "reason": "视力原因"})
    assert swapped.status_code == 302
    now = {s.person_id: s.station_id for s in seats.seats_of(event.id, None)}
    assert now == {first.person_id: before[second.person_id], second.person_id: before[first.person_id]}


def test_other_committees_and_strangers_may_not_open_the_page(client):
    committee = f.CommitteeFactory()
    event = f.EventFactory(competition=f.CompetitionFactory(committee_id=committee.id))
    sign_in(client, f.staff(f.CommitteeFactory()))
    assert client.get(f"/manage/events/{event.id}/station-draw").status_code == 403


def test_the_api_runs_and_reads_a_draw_with_names(client):
    event, entries = _event_with_entries()
    auth = headers(f.staff())
    made = client.post(f"/api/v1/events/{event.id}/station-draws", json={"seed": "公开种子", "witnesses": "王五"},
                       headers=auth)
    assert made.status_code == 201, made.json
    body = made.json
    assert body["seed_source"] == "witnessed" and body["verify"].endswith(f"verify-draw {body['id']}")
    assert sorted(seat["name"] for seat in body["seats"]) == sorted(e.person.full_name for e in entries)
    assert {seat["unit"] for seat in body["seats"]} == {"第一钢铁厂"}
    read = client.get(f"/api/v1/station-draws/{body['id']}", headers=auth)
    assert read.status_code == 200 and read.json["seats"] == body["seats"]
    again = client.post(f"/api/v1/events/{event.id}/station-draws", json={}, headers=auth)
    assert again.status_code == 409


def test_the_api_refuses_a_seed_without_witnesses_and_strangers(client):
    event, _entries = _event_with_entries()
    assert_error(client.post(f"/api/v1/events/{event.id}/station-draws", json={"seed": "1"},
                             headers=headers(f.staff())), 422, "invalid_input", "witnesses")
    assert_error(client.post(f"/api/v1/events/{event.id}/station-draws", json={},
                             headers=headers(f.UserFactory())), 403, "forbidden")
    assert_error(client.get("/api/v1/station-draws/999999", headers=headers(f.staff())), 404, "not_found")


def test_the_leftover_button_places_an_entry_approved_when_no_station_was_free(client):
    event, _entries = _event_with_entries(n=1, stations=1)
    sign_in(client, f.staff())
    client.post(f"/manage/events/{event.id}/station-draw", data={"seed_source": "secure"})
    late = approved(event)
    page = client.get(f"/manage/events/{event.id}/station-draw")
    assert 'data-testid="seat-waiting"' in page.text and late.person.full_name in page.text
    session = seats.sessions_of(event.id, None)[0]
    station = Station(room_id=session.room_id, number=2, is_out_of_service=False)
    db.session.add(station)
    db.session.flush()
    db.session.add(ContestSessionStation(session_id=session.id, station_id=station.id))
    db.session.commit()
    assert client.post(f"/manage/events/{event.id}/station-draw/late").status_code == 302
    assert late.id in {seat.registration_id for seat in seats.seats_of(event.id, None)}
