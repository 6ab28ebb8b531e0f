"""A contestant's pages, through the test client: registering for an event and their own entries."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.accounts.models import SkillLevel
from app.competitions.models import Channel, Registration, RegistrationStatus as Status
from app.competitions.services import registration
from app.extensions import db
from app.core.transaction import unit_of_work
from tests import factories as f
from tests.support import sign_in


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def _signed_in(client, **person):
    user = f.UserFactory(person=f.PersonFactory(**person))
    sign_in(client, user)
    return user


def _entries() -> list[Registration]:
    db.session.expire_all()
    return list(db.session.scalars(select(Registration).order_by(Registration.id)))


def _entry_count() -> int:
    return db.session.scalar(select(func.count(Registration.id)))


def _self_entry(event, user=None) -> Registration:
    user = user or f.UserFactory()
    with unit_of_work():
        return registration.register(event, user.person, actor=user, channel=Channel.SELF)


# --- registering -------------------------------------------------------------------------

def test_an_eligible_person_registers_and_is_sent_to_their_registrations_with_their_seat(client):
    user = _signed_in(client)
    event = f.EventFactory(name="焊工")
    response = client.post(f"/events/{event.id}/register")
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/registrations")
    [entry] = _entries()
    assert (entry.person_id, entry.event_id, entry.holds_seat) == (user.person_id, event.id, True)
    assert "You have a seat in 焊工" in client.get("/me/registrations").get_data(as_text=True)


def test_the_register_page_lists_every_eligibility_problem_before_submitting(client):
    _signed_in(client, birth_date=date(1960, 1, 1), skill_level=SkillLevel.LEVEL_5)
    event = f.EventFactory(max_age=40, min_skill_level="3")
    page = client.get(f"/events/{event.id}/register")
    assert page.status_code == 200
    problems = re.search(r'data-testid="problems">(.*?)</div>', page.get_data(as_text=True), re.S).group(1)
    assert "at most 40 years old" in problems and "Level 3 (senior worker) or higher" in problems
    assert "Confirm my registration" not in page.get_data(as_text=True)


def test_an_ineligible_person_is_refused_with_the_reasons_and_nothing_is_created(client):
    _signed_in(client, skill_level=SkillLevel.LEVEL_5)
    event = f.EventFactory(min_skill_level="2")
    response = client.post(f"/events/{event.id}/register")
    assert response.status_code == 409
    assert "A skill level of Level 2 (technician) or higher is required." in response.get_data(as_text=True)
    assert _entry_count() == 0


def test_a_full_event_puts_the_registrant_on_the_waiting_list_and_says_their_place(client):
    event = f.EventFactory(capacity=1, name="电工")
    _self_entry(event), _self_entry(event)
    _signed_in(client)
    assert client.post(f"/events/{event.id}/register").status_code == 302
    assert _entries()[-1].status == Status.WAITLISTED
    html = client.get("/me/registrations").get_data(as_text=True)
    assert "电工 is full: you are on the waiting list, in place 2." in html


def test_a_closed_event_refuses_registration_and_creates_nothing(client):
    _signed_in(client)
    now = datetime.now(timezone.utc)
    event = f.EventFactory(opens_at=now - timedelta(days=5), closes_at=now - timedelta(minutes=1))
    page = client.get(f"/events/{event.id}/register")
    assert 'data-testid="not-open"' in page.get_data(as_text=True)
    response = client.post(f"/events/{event.id}/register")
    assert response.status_code == 409 and "not open" in response.get_data(as_text=True)
    assert _entry_count() == 0


def test_the_events_questions_are_asked_and_the_answers_stored(client):
    _signed_in(client)
    event = f.EventFactory(required_fields=["工作年限", "工种证书编号"])
    page = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert "工作年限" in page and "工种证书编号" in page
    response = client.post(f"/events/{event.id}/register", data={"answer_0": " 8 ", "answer_1": "Z-123"})
    assert response.status_code == 302
    assert _entries()[0].answers == {"工作年限": "8", "工种证书编号": "Z-123"}


def test_an_unanswered_question_is_refused_and_nothing_is_created(client):
    _signed_in(client)
    event = f.EventFactory(required_fields=["工作年限"])
    response = client.post(f"/events/{event.id}/register", data={"answer_0": "  "})
    assert response.status_code == 409 and "Please answer “工作年限”" in response.get_data(as_text=True)
    assert _entry_count() == 0


def test_registering_twice_is_refused_with_a_conflict_and_one_entry_remains(client):
    user = _signed_in(client)
    event = f.EventFactory()
    _self_entry(event, user)
    page = client.get(f"/events/{event.id}/register")
    assert 'data-testid="already-registered"' in page.get_data(as_text=True)
    response = client.post(f"/events/{event.id}/register")
    assert response.status_code == 409 and "already registered" in response.get_data(as_text=True)
    assert _entry_count() == 1


def test_a_person_without_an_id_number_is_linked_to_their_profile(client):
    _signed_in(client, id_hash=None, id_number_encrypted=None, id_masked=None, id_type=None)
    event = f.EventFactory()
    html = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    notice = re.search(r'data-testid="complete-profile">(.*?)</div>', html, re.S).group(1)
    assert 'href="/account"' in notice


def test_a_person_with_an_id_number_is_not_asked_to_complete_their_profile(client):
    _signed_in(client)
    html = client.get(f"/events/{f.EventFactory().id}/register").get_data(as_text=True)
    assert 'data-testid="complete-profile"' not in html


def test_a_team_event_takes_no_individual_entries(client):
    _signed_in(client)
    event = f.EventFactory(is_team=True, team_size_min=2, team_size_max=3)
    assert client.post(f"/events/{event.id}/register").status_code == 409
    assert _entry_count() == 0


def test_an_event_of_an_unpublished_competition_cannot_be_entered(client):
    _signed_in(client)
    event = f.EventFactory(competition=f.CompetitionFactory(is_public=False))
    assert client.get(f"/events/{event.id}/register").status_code == 404
    assert client.post(f"/events/{event.id}/register").status_code == 404
    assert _entry_count() == 0


def test_registering_needs_signing_in(client):
    event = f.EventFactory()
    response = client.post(f"/events/{event.id}/register")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _entry_count() == 0


# --- my registrations --------------------------------------------------------------------

def test_my_registrations_lists_my_entries_and_not_other_peoples(client):
    user = _signed_in(client)
    mine = _self_entry(f.EventFactory(name="我的赛项"), user)
    _self_entry(f.EventFactory(name="别人的赛项"))
    html = client.get("/me/registrations").get_data(as_text=True)
    assert f'data-testid="entry-{mine.id}"' in html and "我的赛项" in html
    assert "别人的赛项" not in html and html.count('data-testid="entry-') == 1


def test_my_registrations_show_state_waiting_place_exam_number_and_reject_reason(client):
    user = _signed_in(client)
    staff = f.staff()
    full = f.EventFactory(capacity=1)
    _self_entry(full)
    waiting = _self_entry(full, user)
    approved = registration.approve(_self_entry(f.EventFactory(code="WA"), user), actor=staff)
    rejected = registration.reject(_self_entry(f.EventFactory(), user), actor=staff, reason="材料不全")
    html = client.get("/me/registrations").get_data(as_text=True)

    def block(entry):  # from this entry's marker to the next entry's
        return html.split(f'data-testid="entry-{entry.id}"', 1)[1].split('data-testid="entry-', 1)[0]

    assert "on the waiting list" in block(waiting) and "Place on the waiting list: 1" in block(waiting)
    assert "approved" in block(approved) and approved.exam_number in block(approved)
    assert "Reason: 材料不全" in block(rejected) and "Withdraw" not in block(rejected)


def test_the_ticket_link_appears_for_approved_entries_once_tickets_exist(client, app):
    user = _signed_in(client)
    approved = registration.approve(_self_entry(f.EventFactory(), user), actor=f.staff())
    html = client.get("/me/registrations").get_data(as_text=True)
    has_link = f"/me/registrations/{approved.id}/ticket.pdf" in html
    assert has_link == ("competitions.ticket" in app.view_functions)


def test_withdrawing_my_entry_frees_the_seat_for_the_next_in_line(client):
    user = _signed_in(client)
    event = f.EventFactory(capacity=1)
    mine = _self_entry(event, user)
    waiting = _self_entry(event)
    response = client.post(f"/me/registrations/{mine.id}/withdraw")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, mine.id).status == Status.WITHDRAWN
    assert db.session.get(Registration, waiting.id).holds_seat


def test_withdrawing_another_persons_entry_is_not_found_and_changes_nothing(client):
    _signed_in(client)
    theirs = _self_entry(f.EventFactory())
    response = client.post(f"/me/registrations/{theirs.id}/withdraw")
    assert response.status_code == 404
    db.session.expire_all()
    entry = db.session.get(Registration, theirs.id)
    assert entry.status == Status.ENDORSED and entry.is_active


def test_withdrawing_an_entry_twice_is_a_conflict(client):
    user = _signed_in(client)
    mine = _self_entry(f.EventFactory(), user)
    client.post(f"/me/registrations/{mine.id}/withdraw")
    response = client.post(f"/me/registrations/{mine.id}/withdraw")
    assert response.status_code == 409 and "withdrawn" in response.get_data(as_text=True)


def test_withdrawing_a_missing_entry_is_404(client):
    _signed_in(client)
    assert client.post("/me/registrations/999999/withdraw").status_code == 404



def test_control_characters_in_an_answer_are_dropped_before_storing(client):
    _signed_in(client)
    event = f.EventFactory(required_fields=["工作年限"])
    assert client.post(f"/events/{event.id}/register", data={"answer_0": "8\x07\x1b年"}).status_code == 302
    assert _entries()[0].answers == {"工作年限": "8年"}
