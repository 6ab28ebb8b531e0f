"""What a judge is to a panel, as access rules see it (app/judges/services/relations.py):
a seat on it, its chief judge's seat, a seat of one's own; each asked in one query, and an
undeclared relation refused and logged. And the pages those relations open: the judge's own
panel with who sits beside them, and the chief judge's contacts."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import event as sa_event

from app.core.permissions import Access, stands_in
from app.judges.models import MemberStatus, PanelRole
from app.judges.services import draws, seats
from app.judges.services.relations import OWN_SEAT, PANEL_CHIEF, PANEL_MEMBER
from tests.accounts.sessions import enter_as, fresh_request_globals  # noqa: F401  (a fixture)
from tests.factories import UserFactory, staff
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import by_profile, event_with_contestants, judge, make_panel


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


@pytest.fixture
def drawn(db):
    """A drawn panel of one chief and two judges, each with a login, and its reserve."""
    trade = SpecialityFactory()
    judges = [judge(trade, with_login=True, name=f"裁判{n}", email=f"judge{n}@example.org") for n in range(4)]
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=2, reserves=1)
    draws.run_draw(panel, draws.DrawRequest(), actor=staff())
    found = by_profile(panel)
    role_of = {role: [p for p in judges if found[p.id].role == role] for role in PanelRole}
    return panel, role_of, found


def _statement_recorder():
    """A list, and a listener that appends each SQL statement sent to it."""
    sent: list[str] = []

    def record(conn, cursor, statement, *args):
        sent.append(statement)
    return sent, record


def test_each_relation_is_one_query(app, db, drawn):
    panel, role_of, _found = drawn
    chief = role_of[PanelRole.CHIEF][0].person.user
    sent, listener = _statement_recorder()
    with app.test_request_context("/"):
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert stands_in(chief, PANEL_CHIEF, panel.id)
            assert stands_in(chief, PANEL_MEMBER, panel.id)
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
    assert len(sent) == 2


def test_who_stands_in_which_relation(app, db, drawn):
    panel, role_of, found = drawn
    chief, seated = role_of[PanelRole.CHIEF][0], role_of[PanelRole.JUDGE][0]
    reserve = role_of[PanelRole.RESERVE][0]
    with app.test_request_context("/"):
        assert stands_in(seated.person.user, PANEL_MEMBER, panel.id)
        assert not stands_in(seated.person.user, PANEL_CHIEF, panel.id)
        assert not stands_in(reserve.person.user, PANEL_MEMBER, panel.id)   # in line, not seated
        assert stands_in(reserve.person.user, OWN_SEAT, found[reserve.id].id)
        assert not stands_in(seated.person.user, OWN_SEAT, found[chief.id].id)
        assert not stands_in(staff(), PANEL_MEMBER, panel.id)                 # a grant is not a seat
        assert not stands_in(seated.person.user, PANEL_MEMBER, True)          # not an id


def test_a_judge_who_declines_leaves_the_panel(app, db, drawn):
    panel, role_of, found = drawn
    seated = role_of[PanelRole.JUDGE][0]
    seats.decline(found[seated.id], None, actor=seated.person.user)
    assert by_profile(panel)[seated.id].status == MemberStatus.DECLINED
    with app.test_request_context("/"):
        assert not stands_in(seated.person.user, PANEL_MEMBER, panel.id)


def test_an_undeclared_relation_refuses_everyone_and_is_logged(app, client, db, drawn, monkeypatch, caplog):
    panel, role_of, _found = drawn
    monkeypatch.setattr(app.view_functions["judges.my_panel"], "access",
                        Access("relation", relation="panel.sitter", relation_arg="panel_id"))
    enter_as(client, role_of[PanelRole.CHIEF][0].person.user)
    with caplog.at_level(logging.ERROR):
        assert client.get(f"/judges/me/panels/{panel.id}").status_code == 403
    assert "panel.sitter" in caplog.text


def test_a_seated_judge_sees_the_panel_its_event_and_who_sits_beside_them(client, db, drawn):
    panel, role_of, _found = drawn
    seated, other = role_of[PanelRole.JUDGE]
    enter_as(client, seated.person.user)
    page = client.get(f"/judges/me/panels/{panel.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert other.person.full_name in text and role_of[PanelRole.CHIEF][0].person.full_name in text
    assert 'data-testid="panel-event"' in text
    assert "judge1@example.org" not in text and 'data-testid="panel-contacts"' not in text
    assert client.get(f"/judges/me/panels/{panel.id}/contacts").status_code == 403


def test_the_chief_judge_sees_how_to_reach_the_panel_and_its_reserves(client, db, drawn):
    panel, role_of, _found = drawn
    enter_as(client, role_of[PanelRole.CHIEF][0].person.user)
    assert 'data-testid="panel-contacts"' in client.get(f"/judges/me/panels/{panel.id}").get_data(as_text=True)
    text = client.get(f"/judges/me/panels/{panel.id}/contacts").get_data(as_text=True)
    for person in (*role_of[PanelRole.JUDGE], role_of[PanelRole.RESERVE][0]):
        assert person.person.email in text


def test_someone_who_sits_on_no_panel_is_refused(client, db, drawn):
    panel, _role_of, _found = drawn
    enter_as(client, UserFactory())
    assert client.get(f"/judges/me/panels/{panel.id}").status_code == 403
