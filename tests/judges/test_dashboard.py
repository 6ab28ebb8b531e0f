"""The staff dashboard of the panels: seats per judge and per unit in a period, and the panels
still short of judges."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.time import local_today
from app.judges.models import MemberSource, MemberStatus, PanelMember, PanelRole, PanelStatus
from app.judges.services import dashboard
from tests.accounts.sessions import enter_as, fresh_request_globals  # noqa: F401  (a fixture)
from tests.factories import OrganisationFactory, UserFactory, staff
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import event_with_contestants, judge, make_panel, panel_dates


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def sit(db, panel, profile, role=PanelRole.JUDGE, status=MemberStatus.INVITED):
    db.session.add(PanelMember(panel_id=panel.id, profile_id=profile.id, role=role, status=status,
                               source=MemberSource.MANUAL, reserve_order=1 if role == PanelRole.RESERVE else None))
    panel.status = PanelStatus.DRAWN
    db.session.commit()


@pytest.fixture
def world(db):
    """Two panels in the period and one after it; a busy judge of unit A, a quieter one of unit
    A, one of unit B, a reserve and one who declined."""
    trade, unit_a, unit_b = SpecialityFactory(), OrganisationFactory(name="甲单位"), OrganisationFactory(name="乙单位")
    busy, quiet, other = judge(trade, unit=unit_a), judge(trade, unit=unit_a), judge(trade, unit=unit_b)
    reserve, declined = judge(trade), judge(trade)
    first, last = panel_dates()
    early = make_panel(event_with_contestants(), trade, chiefs=1, judges=3, name="早")
    later = make_panel(event_with_contestants(), trade, chiefs=1, judges=1, name="晚",
                       starts_on=last + timedelta(days=5), ends_on=last + timedelta(days=6))
    beyond = make_panel(event_with_contestants(), trade, chiefs=1, judges=0, name="远",
                        starts_on=last + timedelta(days=200), ends_on=last + timedelta(days=201))
    sit(db, early, busy, PanelRole.CHIEF, MemberStatus.ACCEPTED)
    sit(db, early, quiet)
    sit(db, early, reserve, PanelRole.RESERVE, MemberStatus.STANDBY)
    sit(db, early, declined, status=MemberStatus.DECLINED)
    sit(db, later, busy)
    sit(db, later, other)
    sit(db, beyond, busy, PanelRole.CHIEF)
    return {"busy": busy, "quiet": quiet, "other": other, "unit_a": unit_a, "unit_b": unit_b, "early": early,
            "later": later, "beyond": beyond, "first": first, "last": last + timedelta(days=10)}


def test_the_load_per_judge_counts_seats_held_in_the_period(world):
    rows = {row.profile_id: (row.seats, row.accepted) for row in dashboard.load_per_judge(world["first"],
                                                                                          world["last"])}
    assert rows == {world["busy"].id: (2, 1), world["quiet"].id: (1, 0), world["other"].id: (1, 0)}
    assert dashboard.load_per_judge(world["first"], world["last"])[0].profile_id == world["busy"].id


def test_the_load_per_unit_counts_judges_and_seats(world):
    rows = {row.organisation_id: (row.judges, row.seats) for row in dashboard.load_per_unit(world["first"],
                                                                                           world["last"])}
    assert rows == {world["unit_a"].id: (2, 3), world["unit_b"].id: (1, 1)}


def test_panels_short_of_judges_are_listed_with_the_shortfall(world):
    short = {row.panel.id: row.short for row in dashboard.short_panels(local_today())}
    assert short[world["early"].id] == 2          # 4 seats, 2 held; the reserve and the one who declined hold none
    assert world["later"].id not in short         # both seats held
    assert world["beyond"].id not in short


def test_the_load_page_shows_the_period_asked_for(client, world):
    enter_as(client, staff())
    page = client.get(f"/judges/load?first={world['first'].isoformat()}&last={world['last'].isoformat()}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    per_judge = text.split('data-testid="load-per-judge"')[1].split("</section>")[0]
    assert f'data-profile="{world["busy"].id}"' in per_judge and 'data-seats="2"' in per_judge
    assert "甲单位" in text.split('data-testid="load-per-unit"')[1]
    assert f'data-panel="{world["early"].id}"' in text.split('data-testid="short-panels"')[1]
    wide = client.get(f"/judges/load?first={world['first'].isoformat()}&last="
                      f"{(world['last'] + timedelta(days=400)).isoformat()}").get_data(as_text=True)
    assert 'data-seats="3"' in wide.split('data-testid="load-per-judge"')[1].split("</section>")[0]


@pytest.mark.parametrize("query", ["first=junk", "first=2026-13-45&last=x", "last=1900-01-01", "first=" + "9" * 50])
def test_a_junk_period_falls_back_to_a_sensible_one(client, db, query):
    enter_as(client, staff())
    assert client.get(f"/judges/load?{query}").status_code == 200


def test_the_load_page_is_for_staff(client, db):
    assert client.get("/judges/load").status_code == 302
    enter_as(client, UserFactory())
    assert client.get("/judges/load").status_code == 403
