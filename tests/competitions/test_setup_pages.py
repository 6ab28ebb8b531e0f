"""Staff pages for setting up competitions, events and unit quotas, through the test client."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from html import unescape

import pytest
from sqlalchemy import func, select

from app.competitions.models import Channel, Competition, Event, EventQuota
from app.competitions.services import events, registration
from app.core import audit
from app.extensions import db
from tests import factories as f
from tests.support import sign_in


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def _event_form(**changes) -> dict:
    data = {"code": "WA", "name": "焊工", "capacity": "30", "opens_at": "2026-05-01T09:00",
            "closes_at": "2026-05-31T18:00", "exam_number_pattern": "{year}{event_code}{seq:04}",
            "required_fields": "工作年限\r\n\r\n 证书编号 \r\n"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _error_of(response, field: str) -> str:
    html = response.get_data(as_text=True)
    marker = f'data-field="{field}">'
    assert marker in html, f"no error under {field}"
    return html.split(marker, 1)[1].split("<", 1)[0]


# --- competitions ------------------------------------------------------------------------

def test_staff_create_a_competition_through_the_page(client):
    sign_in(client, f.staff())
    committee = f.CommitteeFactory()
    response = client.post("/manage/competitions/new", data={
        "name": "第三届全国职工数字职业技术技能大赛", "year": "2026", "level": "national",
        "committee_id": str(committee.id), "is_public": "y", "max_events_per_person": "2"})
    assert response.status_code == 302
    competition = db.session.scalars(select(Competition)).one()
    assert response.headers["Location"].endswith(f"/manage/competitions/{competition.id}")
    assert (competition.committee_id, competition.is_public, competition.max_events_per_person) == (committee.id, True, 2)


def test_a_competition_without_a_name_or_with_a_bad_year_is_shown_again_and_not_created(client):
    sign_in(client, f.staff())
    response = client.post("/manage/competitions/new", data={"name": "", "year": "1999", "level": "national"})
    assert response.status_code == 422
    _error_of(response, "name"), _error_of(response, "year")
    assert _count(Competition) == 0


def test_committee_staff_organise_competitions_only_for_their_committee(client):
    mine, other = f.CommitteeFactory(name="电力委员会"), f.CommitteeFactory(name="建筑委员会")
    sign_in(client, f.staff(mine))
    page = client.get("/manage/competitions/new").get_data(as_text=True)
    assert "电力委员会" in page and "建筑委员会" not in page
    for committee_id in (str(other.id), ""):
        response = client.post("/manage/competitions/new", data={
            "name": "越权的大赛", "year": "2026", "level": "national", "committee_id": committee_id})
        assert response.status_code == 422
    assert _count(Competition) == 0


def _competition_form(competition: Competition, **changes) -> dict:
    data = {"name": competition.name, "year": str(competition.year), "level": competition.level.value,
            "committee_id": str(competition.committee_id or ""), "description": competition.description or "",
            "max_events_per_person": str(competition.max_events_per_person or "")}
    if competition.is_public:
        data["is_public"] = "y"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_staff_publish_a_competition_from_its_edit_page_and_the_change_is_audited(client):
    sign_in(client, f.staff())
    competition = f.CompetitionFactory(name="第三届大赛", is_public=False)
    page = client.get(f"/manage/competitions/{competition.id}/edit").get_data(as_text=True)
    assert "Edit the competition" in page and 'value="第三届大赛"' in page
    response = client.post(f"/manage/competitions/{competition.id}/edit",
                           data=_competition_form(competition, name=" 第三届全国大赛 ", is_public="y",
                                                  max_events_per_person="2"))
    assert response.status_code == 302
    db.session.refresh(competition)
    assert (competition.name, competition.is_public, competition.max_events_per_person) == ("第三届全国大赛", True, 2)
    line = db.session.scalars(audit.entries(action="competition.updated")).one()
    assert (line.before["is_public"], line.after["is_public"], line.after["name"]) == (False, True, "第三届全国大赛")
    assert "第三届全国大赛" in client.get("/competitions").get_data(as_text=True)


def test_the_year_stays_once_exam_numbers_carry_it(client):
    staff = f.staff()
    sign_in(client, staff)
    event = f.EventFactory()
    competition = event.competition
    entry = registration.register(event, f.PersonFactory(), actor=staff, channel=Channel.STAFF)
    registration.approve(entry, actor=staff)
    response = client.post(f"/manage/competitions/{competition.id}/edit",
                           data=_competition_form(competition, year=str(competition.year + 1)))
    assert response.status_code == 422
    assert "the year cannot change" in _error_of(response, "year")
    db.session.refresh(competition)
    assert competition.year == event.competition.year


def test_committee_staff_may_not_move_a_competition_to_another_committee(client):
    mine, other = f.CommitteeFactory(), f.CommitteeFactory()
    competition = f.CompetitionFactory(committee_id=mine.id)
    sign_in(client, f.staff(mine))
    for committee_id in (str(other.id), ""):
        response = client.post(f"/manage/competitions/{competition.id}/edit",
                               data=_competition_form(competition, committee_id=committee_id, name="搬走"))
        assert response.status_code == 422
    db.session.refresh(competition)
    assert competition.committee_id == mine.id and competition.name != "搬走"


def test_committee_staff_see_only_their_committees_competitions(client):
    mine, other = f.CommitteeFactory(), f.CommitteeFactory()
    f.CompetitionFactory(name="本委员会的大赛", committee_id=mine.id)
    f.CompetitionFactory(name="别的委员会的大赛", committee_id=other.id)
    f.CompetitionFactory(name="协会的大赛")
    sign_in(client, f.staff(mine))
    html = client.get("/manage/competitions").get_data(as_text=True)
    assert "本委员会的大赛" in html and "别的委员会的大赛" not in html and "协会的大赛" not in html


def test_committee_staff_cannot_manage_another_committees_competition(client):
    mine, other = f.CommitteeFactory(), f.CommitteeFactory()
    event = f.EventFactory(competition=f.CompetitionFactory(committee_id=other.id))
    sign_in(client, f.staff(mine))
    for url in (f"/manage/competitions/{event.competition_id}", f"/manage/competitions/{event.competition_id}/events/new",
                f"/manage/competitions/{event.competition_id}/edit",
                f"/manage/events/{event.id}/edit", f"/manage/events/{event.id}/quotas"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/manage/competitions/{event.competition_id}/events/new",
                       data=_event_form(code="XX")).status_code == 403
    assert _count(Event) == 1


def test_people_without_the_permission_cannot_open_the_setup_pages(client):
    sign_in(client, f.liaison(f.OrganisationFactory()))
    assert client.get("/manage/competitions").status_code == 403
    assert client.get("/manage/competitions/new").status_code == 403


def test_the_competition_page_lists_its_events_with_seats_and_waiting_list(client):
    staff = f.staff()
    event = f.EventFactory(name="网络安全", capacity=1)
    for _ in range(3):
        registration.register(event, f.PersonFactory(), actor=staff, channel=Channel.STAFF)
    sign_in(client, staff)
    html = client.get(f"/manage/competitions/{event.competition_id}").get_data(as_text=True)
    assert "网络安全" in html and "1 / 1" in html and re.search(r"<td[^>]*>2</td>", html)
    assert f"/manage/competitions/{event.competition_id}/events/new" in html


# --- events ------------------------------------------------------------------------------

def test_staff_add_an_event_with_times_entered_in_beijing_time(client):
    competition = f.CompetitionFactory()
    sign_in(client, f.staff())
    response = client.post(f"/manage/competitions/{competition.id}/events/new", data=_event_form(min_skill_level="3"))
    assert response.status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert (event.code, event.name, event.capacity, event.min_skill_level) == ("WA", "焊工", 30, "3")
    assert event.opens_at == datetime(2026, 5, 1, 1, 0, tzinfo=timezone.utc)
    assert event.closes_at == datetime(2026, 5, 31, 10, 0, tzinfo=timezone.utc)
    assert event.required_fields == ["工作年限", "证书编号"]


def test_an_event_that_closes_before_it_opens_is_refused_and_not_created(client):
    competition = f.CompetitionFactory()
    sign_in(client, f.staff())
    response = client.post(f"/manage/competitions/{competition.id}/events/new",
                           data=_event_form(closes_at="2026-04-30T09:00"))
    assert response.status_code == 422
    assert _error_of(response, "closes_at") == "Registration must close after it opens."
    assert _count(Event) == 0


def test_an_unusable_exam_number_pattern_is_refused_and_not_created(client):
    competition = f.CompetitionFactory()
    sign_in(client, f.staff())
    response = client.post(f"/manage/competitions/{competition.id}/events/new",
                           data=_event_form(exam_number_pattern="{year}{event_code}"))
    assert response.status_code == 422
    assert _error_of(response, "exam_number_pattern").startswith("The exam number pattern is not usable")
    assert _count(Event) == 0


def test_a_duplicate_event_code_is_a_conflict_and_nothing_is_created(client):
    event = f.EventFactory(code="WA")
    sign_in(client, f.staff())
    response = client.post(f"/manage/competitions/{event.competition_id}/events/new", data=_event_form(code="wa"))
    assert response.status_code == 409
    assert _error_of(response, "code") == "Another event of this competition has the code WA."
    assert _count(Event) == 1


def test_missing_or_malformed_event_fields_are_shown_again_with_422(client):
    competition = f.CompetitionFactory()
    sign_in(client, f.staff())
    response = client.post(f"/manage/competitions/{competition.id}/events/new",
                           data=_event_form(capacity="many", opens_at="tomorrow", name=""))
    assert response.status_code == 422
    for field in ("capacity", "opens_at", "name"):
        _error_of(response, field)
    assert _count(Event) == 0


def test_the_edit_page_shows_the_window_in_beijing_time_and_saves_changes(client):
    event = f.EventFactory(opens_at=datetime(2026, 5, 1, 1, 0, tzinfo=timezone.utc),
                           closes_at=datetime(2026, 5, 31, 10, 0, tzinfo=timezone.utc), required_fields=["工作年限"])
    sign_in(client, f.staff())
    page = client.get(f"/manage/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="2026-05-01T09:00"' in page and 'value="2026-05-31T18:00"' in page and "工作年限" in page
    response = client.post(f"/manage/events/{event.id}/edit", data=_event_form(code=event.code, capacity="12"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).capacity == 12


def test_an_edit_lowering_capacity_below_the_seats_taken_is_refused_and_changes_nothing(client):
    staff = f.staff()
    event = f.EventFactory(capacity=5)
    for _ in range(2):
        registration.register(event, f.PersonFactory(), actor=staff, channel=Channel.STAFF)
    sign_in(client, staff)
    response = client.post(f"/manage/events/{event.id}/edit", data=_event_form(code=event.code, capacity="1"))
    assert response.status_code == 422 and "2 seats already taken" in _error_of(response, "capacity")
    db.session.expire_all()
    assert db.session.get(Event, event.id).capacity == 5


# --- quotas ------------------------------------------------------------------------------

def test_the_quotas_page_sets_a_units_quota_and_shows_used_and_left(client):
    event = f.EventFactory()
    unit = f.OrganisationFactory(name="华北电网")
    staff = f.staff()
    registration.register(event, f.PersonFactory(organisation_id=unit.id), actor=staff, channel=Channel.STAFF)
    sign_in(client, staff)
    response = client.post(f"/manage/events/{event.id}/quotas", data={"organisation_id": " 华北电网 ", "quota": "3"})
    assert response.status_code == 302
    quota = db.session.scalars(select(EventQuota)).one()
    assert (quota.organisation_id, quota.quota, quota.used) == (unit.id, 3, 1)
    page = client.get(f"/manage/events/{event.id}/quotas")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="organisation_id"' in html and "data-unit-picker" in html
    row = html.split(f'data-testid="quota-{unit.id}"', 1)[1].split("</tr>", 1)[0]
    assert "华北电网" in row and ">3</td>" in row and ">1</td>" in row and ">2</td>" in row
    assert f'name="organisation_id" value="{unit.credit_code}"' in row  # its remove button


def test_the_quotas_page_takes_the_units_credit_code(client):
    event, unit = f.EventFactory(), f.OrganisationFactory()
    sign_in(client, f.staff())
    response = client.post(f"/manage/events/{event.id}/quotas",
                           data={"organisation_id": unit.credit_code.lower(), "quota": "4"})
    assert response.status_code == 302
    assert db.session.scalars(select(EventQuota.organisation_id)).one() == unit.id


def test_an_empty_quota_removes_it(client):
    event, unit, staff = f.EventFactory(), f.OrganisationFactory(), f.staff()
    events.set_quota(event, unit, 2, actor=staff)
    sign_in(client, staff)
    assert client.post(f"/manage/events/{event.id}/quotas",
                       data={"organisation_id": unit.credit_code}).status_code == 302  # the remove button
    assert _count(EventQuota) == 0


def test_a_quota_below_the_units_entries_is_refused(client):
    event, unit, staff = f.EventFactory(), f.OrganisationFactory(), f.staff()
    for _ in range(2):
        registration.register(event, f.PersonFactory(organisation_id=unit.id), actor=staff, channel=Channel.STAFF)
    sign_in(client, staff)
    response = client.post(f"/manage/events/{event.id}/quotas", data={"organisation_id": unit.name, "quota": "1"})
    assert response.status_code == 422 and "already has 2 entries" in _error_of(response, "quota")
    assert _count(EventQuota) == 0


def test_a_quota_for_an_unknown_unit_or_a_negative_number_is_refused(client):
    event, unit = f.EventFactory(), f.OrganisationFactory()
    sign_in(client, f.staff())
    for data, field, message in (
            ({"organisation_id": str(unit.id), "quota": "1"}, "organisation_id",
             "No member unit has this name or credit code."),  # an id is not a name
            ({"organisation_id": "x", "quota": "1"}, "organisation_id", "No member unit has this name or credit code."),
            ({"organisation_id": " ", "quota": "1"}, "organisation_id", "Please enter the unit's name or credit code."),
            ({"organisation_id": unit.name, "quota": "-1"}, "quota", None)):
        response = client.post(f"/manage/events/{event.id}/quotas", data=data)
        assert response.status_code == 422, data
        assert message is None or unescape(_error_of(response, field)) == message
    assert _count(EventQuota) == 0


def test_a_pattern_with_a_huge_width_is_refused_without_building_the_number(client):
    competition = f.CompetitionFactory()
    sign_in(client, f.staff())
    response = client.post(f"/manage/competitions/{competition.id}/events/new",
                           data=_event_form(exam_number_pattern="{seq:0999999999}"))
    assert response.status_code == 422 and "longer than 32" in _error_of(response, "exam_number_pattern")
    assert _count(Event) == 0


JUNK = ["", " ", "0001-01-01T00:00", "9999-12-31T23:59", "-1", "99999999999999999999", "1e5", "<script>", "{", "}",
        "{seq:{seq}}", "\x00", "a\x00b", "𝔘" * 300]


@pytest.mark.parametrize("field", ["code", "name", "capacity", "opens_at", "closes_at", "exam_number_pattern",
                                   "min_age", "max_age", "age_reference_date", "min_skill_level", "team_size_min",
                                   "required_fields"])
def test_junk_in_any_event_field_is_refused_or_accepted_but_never_a_server_error(client, field):
    event = f.EventFactory(code="ZZ")
    sign_in(client, f.staff())
    for n, junk in enumerate(JUNK):
        for url in (f"/manage/competitions/{event.competition_id}/events/new", f"/manage/events/{event.id}/edit"):
            # a fresh code each time, so a duplicate code does not stop the junk before it is stored
            response = client.post(url, data=_event_form(**{"code": f"J{n}{len(url)}", field: junk, "is_team": "y"}))
            assert response.status_code in (302, 409, 422), (url, field, junk, response.status_code)


@pytest.mark.parametrize("data", [{"name": "x", "year": "99999999999999999999", "level": "national"},
                                  {"name": "x", "year": "2026", "level": "galactic"},
                                  {"name": "x" * 201, "year": "2026", "level": "national"},
                                  {"name": "x", "year": "2026", "level": "national", "committee_id": "abc"},
                                  {"name": "x", "year": "2026", "level": "national", "max_events_per_person": "0"}])
def test_junk_in_the_competition_form_is_refused_with_422(client, data):
    sign_in(client, f.staff())
    assert client.post("/manage/competitions/new", data=data).status_code == 422
    assert _count(Competition) == 0
