"""What packages declare in their hooks.py reaches the shared pages (app/core/registry.py,
app/core/menu.py): a new package's hooks alone put its entry in the menu and its permission
in a role; each role sees only the entries it can use, grouped when there are many."""
from __future__ import annotations

import types

import pytest
from flask_babel import lazy_gettext as _l

from app import package_hooks
from app.core import menu, permissions, registry
from app.core.permissions import Role
from tests.accounts.sessions import enter_as, fresh_request_globals  # noqa: F401  (a fixture)
from tests.factories import CommitteeFactory, OrganisationFactory, UserFactory, admin, liaison, staff


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def _scoring_hooks() -> types.ModuleType:
    """A package that is not written yet, as scoring will arrive: only its hooks module."""
    def register(declared: registry.Registry) -> None:
        declared.permissions({"scoring.enter": (Role.STAFF,)})
        declared.menu_group("scoring", _l("Scoring"), order=25)
        declared.menu_entry("core.healthz", _l("Score sheets"), group="scoring", order=10,
                            permission="scoring.enter", testid="score-sheets")
    module = types.ModuleType("app.scoring.hooks")
    module.register = register
    return module


@pytest.fixture
def with_scoring(app, monkeypatch):
    declared = registry.Registry()
    for hooks in [*package_hooks(), _scoring_hooks()]:
        declared.load(hooks)
    declared.check()
    monkeypatch.setitem(app.extensions, registry.EXTENSION_KEY, declared)
    return declared


def test_a_packages_hooks_alone_put_its_entry_in_the_menu_and_its_permission_in_a_role(client, db, with_scoring):
    assert with_scoring.declared_permissions["scoring.enter"] == "app.scoring"
    enter_as(client, staff())
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="score-sheets"' in page and "Score sheets" in page
    enter_as(client, UserFactory())
    assert 'data-testid="score-sheets"' not in client.get("/").get_data(as_text=True)


def test_a_name_declared_twice_is_refused_at_start_up():
    declared = registry.Registry()
    for hooks in package_hooks():
        declared.load(hooks)
    with pytest.raises(ValueError, match="judges.view"):
        declared.permissions({"judges.view": (Role.LIAISON,)})


def test_an_entry_naming_an_undeclared_group_is_refused():
    declared = registry.Registry()
    declared.menu_entry("core.index", "x", group="nowhere", order=1)
    with pytest.raises(ValueError, match="nowhere"):
        declared.check()


def _menu_of(app, user) -> dict[str, list[str]]:
    with app.test_request_context("/"):
        shown = menu.menu_for(user)
        return {group.key: [entry.endpoint for entry in entries] for group, entries in shown.groups} | {
            "flat": shown.flat}


def test_committee_staff_see_no_unit_of_their_own_and_a_liaison_does(app, db):
    committee_staff = _menu_of(app, staff(CommitteeFactory()))
    assert "orgs.my_unit" not in committee_staff.get("people", [])
    assert "accounts.persons" in committee_staff["people"]
    unit_liaison = _menu_of(app, liaison(OrganisationFactory()))
    assert "orgs.my_unit" in unit_liaison["people"]
    assert "judges" not in unit_liaison and "system" not in unit_liaison   # no empty groups


def test_the_admins_long_menu_is_grouped_and_a_contestant_sees_only_their_own_areas(app, db):
    everything = _menu_of(app, admin())
    assert everything.pop("flat") is False
    assert set(everything) == {"competitions", "trainings", "places", "judges", "people", "certificates", "system"}
    assert all(everything.values())
    assert "core.audit_log" in everything["system"] and "accounts.users" in everything["system"]
    contestant = _menu_of(app, UserFactory())
    assert contestant.pop("flat") is False    # competitions, training classes, certificates: grouped
    assert set(contestant) == {"competitions", "trainings", "certificates"}
    assert contestant["competitions"] == ["competitions.index", "competitions.my_registrations",
                                          "competitions.my_timetable"]
    assert "certificates.mine" in contestant["certificates"] and "trainings.index" in contestant["trainings"]


def test_the_menu_is_the_same_for_a_stranger_as_the_public_entries(app, db):
    from flask_login import AnonymousUserMixin
    assert _menu_of(app, AnonymousUserMixin()) == {"competitions": ["competitions.index"], "trainings": ["trainings.index"],
                                                   "certificates": ["certificates.lookup"], "flat": True}


def test_role_permissions_come_from_the_packages(app):
    with app.app_context():
        assert "judges.manage" in permissions.role_permissions(Role.STAFF)
        assert "registrations.register_unit" in permissions.role_permissions(Role.LIAISON)
        assert "judges.view" not in permissions.role_permissions(Role.LIAISON)
        assert permissions.role_permissions(Role.ADMIN) == frozenset({"*"})


def test_the_home_page_offers_committee_staff_no_unit_of_their_own(client, db):
    enter_as(client, staff(CommitteeFactory()))
    assert 'href="/my-unit"' not in client.get("/").get_data(as_text=True)
    enter_as(client, liaison(OrganisationFactory()))
    assert 'href="/my-unit"' in client.get("/").get_data(as_text=True)
