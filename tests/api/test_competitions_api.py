"""/api/v1 competitions, events and registrations: what a token holder can read and do."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.accounts.services.tokens import create_token
from app.competitions.models import Channel
from app.competitions.services import registration
from tests import factories as f


def _headers(user) -> dict:
    _, text = create_token(user, "test")
    return {"Authorization": f"Bearer {text}"}


def _register(client, user, event, body=None):
    return client.post(f"/api/v1/events/{event.id}/registrations", json=body or {}, headers=_headers(user))


def _entry(event, user=None, org=None):
    """An entry made through the service: a quick way to set up the world."""
    user = user or f.UserFactory(person__organisation_id=org.id if org else None)
    return registration.register(event, user.person, actor=user, channel=Channel.SELF)


def assert_error(response, status: int, code: str, field=None):
    assert response.status_code == status, response.json
    error = response.json["error"]
    assert set(error) == {"code", "message", "field"}
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"]


# --- competitions and events ---------------------------------------------------------------

def test_anyone_lists_public_competitions_and_staff_also_their_hidden_ones(client):
    shown = f.CompetitionFactory(is_public=True)
    hidden = f.CompetitionFactory(is_public=False)
    anonymous = client.get("/api/v1/competitions").json
    assert [c["id"] for c in anonymous["items"]] == [shown.id]
    as_staff = client.get("/api/v1/competitions", headers=_headers(f.staff())).json
    assert {c["id"] for c in as_staff["items"]} == {shown.id, hidden.id}


def test_committee_staff_see_their_committees_hidden_competitions_only(client):
    committee = f.CommitteeFactory()
    theirs = f.CompetitionFactory(is_public=False, committee_id=committee.id)
    f.CompetitionFactory(is_public=False)
    listed = client.get("/api/v1/competitions", headers=_headers(f.staff(committee))).json
    assert [c["id"] for c in listed["items"]] == [theirs.id]


def test_a_competition_shows_its_events_with_seats_and_waiting_list(client):
    event = f.EventFactory(capacity=1, code="WA")
    _entry(event), _entry(event)
    body = client.get(f"/api/v1/competitions/{event.competition_id}").json
    (shown,) = body["events"]
    assert {k: shown[k] for k in ("id", "code", "is_team", "capacity", "seats_taken", "seats_left",
                                  "waitlist_length", "is_open")} == {
        "id": event.id, "code": "WA", "is_team": False, "capacity": 1, "seats_taken": 1, "seats_left": 0,
        "waitlist_length": 1, "is_open": True}
    assert shown["opens_at"] and shown["closes_at"]
    assert client.get(f"/api/v1/events/{event.id}").json == shown


def test_a_hidden_competition_and_its_events_are_not_found_for_outsiders(client):
    event = f.EventFactory(competition__is_public=False)
    assert_error(client.get(f"/api/v1/competitions/{event.competition_id}"), 404, "not_found")
    assert_error(client.get(f"/api/v1/events/{event.id}", headers=_headers(f.UserFactory())), 404, "not_found")
    assert client.get(f"/api/v1/events/{event.id}", headers=_headers(f.staff())).status_code == 200


# --- entering ------------------------------------------------------------------------------

def test_self_registration_answers_201_with_the_seat(client):
    user = f.UserFactory()
    response = _register(client, user, f.EventFactory(capacity=2))
    assert response.status_code == 201, response.json
    body = response.json
    assert body["person_id"] == user.person_id and body["channel"] == "self"
    assert (body["status"], body["holds_seat"], body["waitlist_position"], body["waitlist_place"]) == (
        "endorsed", True, None, None)
    assert body["id"] and body["created_at"] and body["exam_number"] is None


def test_self_registration_in_a_full_event_answers_the_place_on_the_waiting_list(client):
    event = f.EventFactory(capacity=1)
    _entry(event), _entry(event)
    body = _register(client, f.UserFactory(), event).json
    assert (body["status"], body["holds_seat"], body["waitlist_position"], body["waitlist_place"]) == (
        "waitlisted", False, 2, 2)


def test_the_waiting_list_place_counts_only_those_still_waiting_ahead(client):
    event = f.EventFactory(capacity=1)
    seated, first, second, third = (_entry(event) for _ in range(4))
    headers = _headers(third.person.user)

    def position_and_place():
        body = client.get(f"/api/v1/registrations/{third.id}", headers=headers).json
        return body["waitlist_position"], body["waitlist_place"]

    assert position_and_place() == (3, 3)
    registration.withdraw(second, actor=second.person.user)
    assert position_and_place() == (3, 2)
    registration.withdraw(seated, actor=seated.person.user)  # the first in line takes the seat
    assert position_and_place() == (3, 1)


def test_registering_twice_is_a_409_conflict_in_the_error_shape(client):
    user, event = f.UserFactory(), f.EventFactory()
    assert _register(client, user, event).status_code == 201
    assert_error(_register(client, user, event), 409, "conflict")


def test_registering_outside_the_window_is_a_409_closed(client):
    event = f.EventFactory(closes_at=datetime.now(timezone.utc) - timedelta(minutes=1))
    assert_error(_register(client, f.UserFactory(), event), 409, "closed")


def test_missing_answers_are_a_409_not_eligible_naming_the_question(client):
    event = f.EventFactory(required_fields=["工作年限"])
    response = _register(client, f.UserFactory(), event)
    assert_error(response, 409, "not_eligible")
    assert "工作年限" in response.json["error"]["message"]
    assert _register(client, f.UserFactory(), event, {"answers": {"工作年限": "8"}}).status_code == 201


def test_registering_needs_a_token(client):
    response = client.post(f"/api/v1/events/{f.EventFactory().id}/registrations", json={})
    assert_error(response, 401, "unauthorised")


def test_a_bad_body_is_a_422_naming_the_field(client):
    response = _register(client, f.UserFactory(), f.EventFactory(), {"person_id": "someone"})
    assert_error(response, 422, "invalid_input", "person_id")


def test_a_liaison_registers_a_person_of_their_unit(client):
    org = f.OrganisationFactory()
    person = f.PersonFactory(organisation_id=org.id)
    response = _register(client, f.liaison(org), f.EventFactory(), {"person_id": person.id})
    assert response.status_code == 201, response.json
    assert (response.json["person_id"], response.json["channel"], response.json["status"]) == (
        person.id, "liaison", "endorsed")


def test_a_liaison_may_not_register_a_person_of_another_unit(client):
    org, other = f.OrganisationFactory(), f.OrganisationFactory()
    person = f.PersonFactory(organisation_id=other.id)
    assert_error(_register(client, f.liaison(org), f.EventFactory(), {"person_id": person.id}), 403, "forbidden")


def test_a_contestant_may_not_register_someone_else(client):
    person = f.PersonFactory()
    assert_error(_register(client, f.UserFactory(), f.EventFactory(), {"person_id": person.id}), 403, "forbidden")


def test_staff_register_anyone_even_after_the_window(client):
    event = f.EventFactory(closes_at=datetime.now(timezone.utc) - timedelta(minutes=1))
    response = _register(client, f.staff(), event, {"person_id": f.PersonFactory().id})
    assert response.status_code == 201 and response.json["channel"] == "staff"


def test_registering_an_unknown_person_is_a_422_naming_person_id(client):
    assert_error(_register(client, f.staff(), f.EventFactory(), {"person_id": 999999}), 422, "invalid_input",
                 "person_id")


# --- decisions -----------------------------------------------------------------------------

def test_the_units_liaison_endorses_and_staff_approve_with_an_exam_number(client):
    org = f.OrganisationFactory()
    entry = _entry(f.EventFactory(code="WA"), org=org)
    assert entry.status.value == "submitted"
    assert_error(client.post(f"/api/v1/registrations/{entry.id}/endorse",
                             headers=_headers(f.liaison(f.OrganisationFactory()))), 403, "forbidden")
    endorsed = client.post(f"/api/v1/registrations/{entry.id}/endorse", headers=_headers(f.liaison(org)))
    assert endorsed.json["status"] == "endorsed"
    approved = client.post(f"/api/v1/registrations/{entry.id}/approve", headers=_headers(f.staff()))
    assert approved.status_code == 200
    assert (approved.json["status"], approved.json["exam_number"]) == ("approved", "2026WA0001")


def test_only_staff_approve(client):
    entry = _entry(f.EventFactory())
    assert_error(client.post(f"/api/v1/registrations/{entry.id}/approve", headers=_headers(entry.person.user)),
                 403, "forbidden")


def test_approving_twice_is_a_409_wrong_state(client):
    entry, staff = _entry(f.EventFactory()), f.staff()
    client.post(f"/api/v1/registrations/{entry.id}/approve", headers=_headers(staff))
    assert_error(client.post(f"/api/v1/registrations/{entry.id}/approve", headers=_headers(staff)),
                 409, "wrong_state")


@pytest.mark.parametrize("body", [{}, {"reason": "   "}])
def test_rejecting_without_a_reason_is_a_422_naming_reason(client, body):
    entry = _entry(f.EventFactory())
    response = client.post(f"/api/v1/registrations/{entry.id}/reject", json=body, headers=_headers(f.staff()))
    assert_error(response, 422, "invalid_input", "reason")


def test_rejection_with_a_reason_frees_the_seat_for_the_first_waiting(client):
    event = f.EventFactory(capacity=1)
    first, second = _entry(event), _entry(event)
    response = client.post(f"/api/v1/registrations/{first.id}/reject", json={"reason": "材料不全"},
                           headers=_headers(f.staff()))
    assert (response.json["status"], response.json["reject_reason"]) == ("rejected", "材料不全")
    promoted = client.get(f"/api/v1/registrations/{second.id}", headers=_headers(second.person.user)).json
    assert (promoted["status"], promoted["holds_seat"]) == ("endorsed", True)


def test_the_entrant_withdraws_their_own_entry(client):
    entry = _entry(f.EventFactory())
    response = client.post(f"/api/v1/registrations/{entry.id}/withdraw", json={},
                           headers=_headers(entry.person.user))
    assert (response.json["status"], response.json["holds_seat"]) == ("withdrawn", False)


def test_someone_elses_entry_is_not_found_even_to_withdraw(client):
    entry, stranger = _entry(f.EventFactory()), f.UserFactory()
    assert_error(client.get(f"/api/v1/registrations/{entry.id}", headers=_headers(stranger)), 404, "not_found")
    assert_error(client.post(f"/api/v1/registrations/{entry.id}/withdraw", json={}, headers=_headers(stranger)),
                 404, "not_found")


def test_the_units_liaison_and_staff_see_an_entry(client):
    org = f.OrganisationFactory()
    entry = _entry(f.EventFactory(), org=org)
    for user in (f.liaison(org), f.staff(), entry.person.user):
        assert client.get(f"/api/v1/registrations/{entry.id}", headers=_headers(user)).json["id"] == entry.id


# --- lists ---------------------------------------------------------------------------------

def test_a_contestants_token_lists_only_their_own_entries(client):
    event = f.EventFactory()
    mine = _entry(event)
    _entry(event)
    headers = _headers(mine.person.user)
    for path in ("/api/v1/registrations", "/api/v1/me/registrations"):
        body = client.get(path, headers=headers).json
        assert ([item["id"] for item in body["items"]], body["total"]) == ([mine.id], 1)


def test_a_liaison_lists_their_units_entries_and_their_own(client):
    org = f.OrganisationFactory()
    event = f.EventFactory()
    liaison = f.liaison(org)
    ours, own = _entry(event, org=org), _entry(event, user=liaison)
    _entry(event, org=f.OrganisationFactory())
    body = client.get("/api/v1/registrations", headers=_headers(liaison)).json
    assert {item["id"] for item in body["items"]} == {ours.id, own.id}


def test_staff_filter_entries_and_page_through_them(client):
    competition = f.CompetitionFactory()
    event, other_event = f.EventFactory(competition=competition, capacity=3), f.EventFactory()
    org = f.OrganisationFactory()
    entries = [_entry(event) for _ in range(3)] + [_entry(event, org=org)]
    _entry(other_event)
    headers = _headers(f.staff())

    def ids(**query):
        body = client.get("/api/v1/registrations", query_string=query, headers=headers).json
        return [item["id"] for item in body["items"]], body["total"]

    assert ids(event_id=event.id) == ([e.id for e in reversed(entries)], 4)
    assert ids(competition_id=competition.id, status="waitlisted") == ([entries[3].id], 1)
    assert ids(organisation_id=org.id) == ([entries[3].id], 1)
    assert ids(q=entries[0].person.full_name) == ([entries[0].id], 1)
    assert ids(event_id=event.id, per_page=3, page=2) == ([entries[0].id], 4)


def test_a_bad_filter_is_a_422_naming_it(client):
    response = client.get("/api/v1/registrations", query_string={"status": "maybe"}, headers=_headers(f.staff()))
    assert_error(response, 422, "invalid_input", "status")


# --- the document --------------------------------------------------------------------------

def test_the_openapi_document_lists_every_competitions_path_with_schemas(client):
    document = client.get("/api/v1/openapi.json").json
    expected = {
        "/api/v1/competitions": {"get"},
        "/api/v1/competitions/{competition_id}": {"get"},
        "/api/v1/events/{event_id}": {"get"},
        "/api/v1/events/{event_id}/registrations": {"post"},
        "/api/v1/registrations": {"get"},
        "/api/v1/me/registrations": {"get"},
        "/api/v1/registrations/{registration_id}": {"get"},
        "/api/v1/registrations/{registration_id}/withdraw": {"post"},
        "/api/v1/registrations/{registration_id}/endorse": {"post"},
        "/api/v1/registrations/{registration_id}/approve": {"post"},
        "/api/v1/registrations/{registration_id}/reject": {"post"},
    }
    for path, methods in expected.items():
        assert set(document["paths"][path]) >= methods, path
        for method in methods:
            ok = next(code for code in document["paths"][path][method]["responses"] if code.startswith("2"))
            assert "schema" in document["paths"][path][method]["responses"][ok]["content"]["application/json"]
    assert {"RegistrationIn", "RegistrationOut", "EventOut", "RejectIn"} <= set(document["components"]["schemas"])
