"""Every form with cross-field rules reports all its problems in one answer, each next to its
field (issue 11, "Forms say everything at once"): a table of form → bad data → the fields
the page marks, sent once. Each row has independent problems (a form validator's and a
service rule's side by side), so a form that stops at the first one fails here."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest

from tests import factories as f
from tests.judges.factories import JudgeFactory, SpecialityFactory, level
from tests.judges.panel_support import event_with_contestants, judge, make_panel
from tests.support import sign_in
from tests.test_all_problems_at_once import reported


@pytest.fixture(autouse=True)
def _english(client):
    client.get("/language/en")


@dataclass(frozen=True)
class Case:
    """`setup` signs someone in and answers (url, form data); the page must mark `fields`."""

    setup: Callable
    fields: set[str]
    status: int = 422


def _new_competition(client):
    sign_in(client, f.staff())
    return "/manage/competitions/new", {"name": "", "year": "2026", "level": "national", "committee_id": "",
                                        "max_events_per_person": "0", "starts_on": "2026-06-10",
                                        "ends_on": "2026-06-01"}


def _edit_competition(client):
    event = f.EventFactory(exam_numbers_issued=3)
    sign_in(client, f.staff())
    return f"/manage/competitions/{event.competition_id}/edit", {
        "name": "x" * 201, "year": "2027", "level": "national", "committee_id": "", "starts_on": "",
        "ends_on": "2026-06-01"}


def _register(client):
    event = f.EventFactory(required_fields=["工龄", "车间"])
    sign_in(client, f.UserFactory())
    return f"/events/{event.id}/register", {"answer_0": "x" * 501, "answer_1": ""}


def _unit_register(client):
    org = f.OrganisationFactory()
    event = f.EventFactory(required_fields=["工龄", "车间"])
    user = f.liaison(org)
    sign_in(client, user)
    return f"/unit/{org.id}/events/{event.id}/register", {"person_id": "999999", "answer_0": "", "answer_1": "x" * 501}


def _new_person(client):
    sign_in(client, f.staff())
    return "/persons/new", {"full_name": "", "phone": "12", "email": "not-an-address",
                            "id_type": "", "id_number": f.resident_id(7)}


def _edit_person(client):
    holder, person = f.PersonFactory(number=f.resident_id(31)), f.PersonFactory()
    sign_in(client, f.staff())
    return f"/persons/{person.id}/edit", {"full_name": "", "phone": "12", "id_type": "resident_id",
                                          "id_number": f.resident_id(31)}


def _own_profile(client):
    sign_in(client, f.UserFactory())
    return "/account", {"full_name": "x" * 65, "phone": "12", "email": "not-an-address", "id_type": "resident_id",
                        "id_number": f.resident_id(8, female=False), "gender": "female", "birth_date": "1991-02-03"}


def _new_unit(client):
    sign_in(client, f.staff())
    return "/orgs/new", {"name": "", "credit_code": "91110000000000000X", "province": "北京市", "org_type": "enterprise",
                         "contact_phone": "12", "contact_email": "not-an-address"}


def _edit_unit(client):
    org = f.OrganisationFactory()
    taken = f.OrganisationFactory()
    sign_in(client, f.liaison(org))
    return f"/orgs/{org.id}/edit", {"name": taken.name, "credit_code": org.credit_code, "province": "x" * 33,
                                    "org_type": "enterprise", "contact_phone": "12"}


def _new_committee(client):
    taken = f.CommitteeFactory()
    sign_in(client, f.admin())
    return "/committees", {"code": "no spaces!", "name": taken.name}


def _new_judge(client):
    sign_in(client, f.staff())
    return "/judges/new", {"full_name": "", "id_type": "resident_id", "id_number": "123", "phone": "12",
                           "kind": "judge", "level_id": str(level().id)}


def _edit_judge(client):
    judge = JudgeFactory()
    sign_in(client, f.staff())
    return f"/judges/{judge.id}/edit", {"kind": "", "level_id": str(level().id), "region": "x" * 65}


def _qualification(client):
    judge = JudgeFactory()
    sign_in(client, f.staff())
    return f"/judges/{judge.id}/qualifications/new", {"number": "", "issuer": "中国职工技术协会",
                                                       "issued_on": "2090-01-01", "expires_on": "2089-01-01"}


def _availability(client):
    judge = JudgeFactory()
    sign_in(client, f.staff())
    return f"/judges/{judge.id}/availability/new", {"starts_on": "2031-02-01", "ends_on": "2031-01-01",
                                                     "note": "x" * 201}


def _own_conflict(client):
    user = f.UserFactory()
    JudgeFactory(person=user.person)
    sign_in(client, user)
    return "/judges/me/conflicts", {"party": "person", "person_name": "李四", "person_id_number": "123", "reason": ""}


def _staff_conflict(client):
    judge = JudgeFactory()
    sign_in(client, f.staff())
    return f"/judges/{judge.id}/conflicts/new", {"party": "unit", "reason": "x" * 1001}


def _change_password(client):
    sign_in(client, f.UserFactory())
    return "/account/password", {"current_password": "wrong-password", "password": "short", "confirm": "other"}


def _reset_password(client):
    from app.accounts.services.auth import RESET_SALT, make_link_token
    token = make_link_token(f.UserFactory(), RESET_SALT)
    return f"/password/reset/{token}", {"password": "short", "confirm": "other"}


def _new_panel(client):
    event, trade = f.EventFactory(), SpecialityFactory()
    sign_in(client, f.staff())
    return f"/judges/events/{event.id}/panels/new", {
        "name": "", "starts_on": "2090-05-03", "ends_on": "2090-05-01", "speciality_id": str(trade.id),
        "chiefs": "0", "judges": "0", "reserves": "0", "max_per_unit": "0", "compatriot_rule": "exclude"}


def _manual_seat(client):
    from app.judges.services import draws
    trade, unit = SpecialityFactory(), f.OrganisationFactory()
    judge(trade)
    panel = make_panel(event_with_contestants(unit), trade, chiefs=1, judges=0, reserves=0)
    draws.run_draw(panel, draws.DrawRequest(), actor=f.staff())
    compatriot = judge(trade, unit=unit)
    sign_in(client, f.staff())
    return f"/judges/panels/{panel.id}/members", {"profile_id": str(compatriot.id), "role": "king"}


def _quota(client):
    event = f.EventFactory()
    sign_in(client, f.staff())
    return f"/manage/events/{event.id}/quotas", {"organisation_id": "没有这个单位", "quota": "-1"}


def _grant(client):
    target = f.UserFactory()
    sign_in(client, f.admin())
    return f"/admin/users/{target.id}", {"role": "", "scope": "organisation", "unit": "没有这个单位"}


def _new_session(client):
    from tests.competitions.sessions_support import dated_event, room
    event, hall = dated_event(), room(stations=2)
    sign_in(client, f.staff())
    return f"/manage/events/{event.id}/sessions/new", {"name": "", "room_id": str(hall.id), "stage_id": "",
                                                       "starts_at": "2030-05-03T12:00", "ends_at": "2030-05-03T09:00",
                                                       "station_ids": "9"}


def _booking_by_hand(client):
    from tests.scheduling.support import room
    hall = room(stations=1)
    sign_in(client, f.staff())
    return f"/scheduling/rooms/{hall.id}/book", {"what": "person", "person": "13900000000", "label": "",
                                                 "starts_at": "2030-05-03T12:00", "ends_at": "2030-05-03T09:00"}


def _scheme_aspect(client):
    from app.scoring.services import schemes
    scheme = schemes.create_scheme(f.EventFactory(), "决赛", schemes.national_preset(), draft=True)
    sign_in(client, f.staff())
    return f"/scoring/schemes/{scheme.id}/aspect", {
        "component": "practical", "criterion": "装配", "key": "A 1", "name": "尺寸", "kind": "judgement",
        "maximum": "abc", "scale_min": "10", "scale_max": "5", "judges": "3", "aggregation": "trimmed_mean",
        "drop_high": "2", "drop_low": "1", "attempts_rule": "sum", "rounding": "half_up", "places": "2"}


def _scheme_component(client):
    from app.scoring.services import schemes
    scheme = schemes.create_scheme(f.EventFactory(), "决赛", schemes.national_preset(), draft=True)
    sign_in(client, f.staff())
    return f"/scoring/schemes/{scheme.id}/component", {
        "original_key": "theory", "key": "theory", "name": "", "weight": "40", "is_theory": "y",
        "rounding": "half_up", "places": "9"}


CASES = {
    "new session (a station the room lacks beside times out of order)": Case(_new_session,
                                                                              {"name", "ends_at", "station_ids"}),
    "booking by hand (nobody of that phone beside a missing purpose)": Case(_booking_by_hand,
                                                                            {"person", "label", "ends_at"}),
    "new competition": Case(_new_competition, {"name", "max_events_per_person", "ends_on"}),
    "edit competition (year fixed by issued numbers)": Case(_edit_competition, {"name", "year", "starts_on"}),
    "register (questions)": Case(_register, {"answer_0", "answer_1"}),
    "unit register (person, questions)": Case(_unit_register, {"person_id", "answer_0", "answer_1"}),
    "new person": Case(_new_person, {"full_name", "phone", "email", "id_type"}),
    "edit person (an ID number someone holds beside bad fields)": Case(_edit_person, {"full_name", "phone",
                                                                                     "id_number"}),
    "own profile": Case(_own_profile, {"full_name", "phone", "email", "gender", "birth_date"}),
    "new unit": Case(_new_unit, {"name", "credit_code", "contact_phone", "contact_email"}),
    "edit unit": Case(_edit_unit, {"province", "contact_phone"}),
    "new committee (a taken name beside a bad code)": Case(_new_committee, {"code", "name"}),
    "new judge": Case(_new_judge, {"full_name", "id_number", "phone", "speciality_ids"}),
    "edit judge": Case(_edit_judge, {"kind", "speciality_ids", "region"}),
    "qualification": Case(_qualification, {"number", "issued_on", "expires_on"}),
    "availability": Case(_availability, {"ends_on", "note"}),
    "own declared conflict": Case(_own_conflict, {"person_id_number", "reason"}),
    "staff declared conflict": Case(_staff_conflict, {"organisation_id", "reason"}),
    "change password": Case(_change_password, {"current_password", "password", "confirm"}),
    "reset password": Case(_reset_password, {"password", "confirm"}),
    "new panel": Case(_new_panel, {"name", "ends_on", "judges", "max_per_unit"}),
    "manual seat (a refused role beside a conflicted judge)": Case(_manual_seat, {"role", "profile_id"}),
    # Forms whose service rules each depend on the other fields being right: their validators
    # already report every field at once, and these rows keep it so.
    "unit quota": Case(_quota, {"organisation_id", "quota"}),
    "grant": Case(_grant, {"role", "unit"}),
    "marking scheme aspect (a trim too deep for its judges beside bad fields)": Case(
        _scheme_aspect, {"key", "maximum", "scale_max", "aggregation"}),
    "marking scheme component (theory above 30 % beside bad fields)": Case(
        _scheme_component, {"name", "weight", "places"}),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_form_with_n_problems_reports_n(client, db, case: Case):
    url, data = case.setup(client)
    response = client.post(url, data=data)
    assert response.status_code == case.status
    assert reported(response) == case.fields


def test_a_team_hears_every_problem_of_its_members_at_once(db):
    from app.accounts.models import SkillLevel
    from app.competitions.models import Channel, TeamRole
    from app.competitions.services import teams
    from app.core.errors import InvalidInput, NotEligible
    event = f.EventFactory(is_team=True, team_size_min=2, team_size_max=3, min_skill_level="2")
    weak = [f.PersonFactory(skill_level=SkillLevel.LEVEL_5, full_name=name) for name in ("李弱", "王弱")]
    with pytest.raises(InvalidInput) as refused:
        teams.register_team(event, "", [(weak[0], TeamRole.CONTESTANT), (weak[0], TeamRole.COACH)],
                            actor=f.staff(), channel=Channel.STAFF)
    assert [field for field, _message in refused.value.problems] == ["name", "members", "members"]
    with pytest.raises(NotEligible) as refused:  # two of one kind keep their kind (and 409)
        teams.register_team(event, "队", [(person, TeamRole.CONTESTANT) for person in weak],
                            actor=f.staff(), channel=Channel.STAFF)
    assert refused.value.status == 409
    assert ["李弱" in refused.value.problems[0][1], "王弱" in refused.value.problems[1][1]] == [True, True]
