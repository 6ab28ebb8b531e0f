"""Roles: only system admins give and take them, each role in the scopes it allows, and
every change is audited."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.services import grants
from app.core.audit import AuditEntry
from app.core.errors import Conflict, InvalidInput, PermissionDenied
from app.core.permissions import Role, ScopeType
from tests.accounts.sessions import enter_as, field_errors, flashes
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)
from tests.factories import CommitteeFactory, OrganisationFactory, UserFactory, admin, liaison, staff


def roles_of(db, user) -> list[tuple[Role, ScopeType | None, int | None]]:
    db.session.expire_all()
    return [(g.role, g.scope_type, g.scope_id) for g in grants.grants_for(user)]


# --- who may grant ----------------------------------------------------------------------------

def test_admin_grants_a_role_everywhere(db):
    user = UserFactory()
    grants.grant_role(user, Role.STAFF, None, None, actor=admin())
    assert roles_of(db, user) == [(Role.STAFF, None, None)]


def test_grant_records_who_gave_it(db):
    boss, user = admin(), UserFactory()
    grant = grants.grant_role(user, Role.STAFF, None, None, actor=boss)
    assert grant.granted_by_id == boss.id


@pytest.mark.parametrize("make_actor", [staff, lambda: liaison(OrganisationFactory()), UserFactory],
                         ids=["staff", "liaison", "no-role"])
def test_only_admins_grant_roles(db, make_actor):
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        grants.grant_role(user, Role.STAFF, None, None, actor=make_actor())
    assert roles_of(db, user) == []


def test_staff_cannot_reach_the_grants_page(client, db):
    user = UserFactory()
    enter_as(client, staff())
    assert client.get(f"/admin/users/{user.id}").status_code == 403
    assert client.post(f"/admin/users/{user.id}", data={"role": "admin", "scope": ""}).status_code == 403
    assert roles_of(db, user) == []


# --- which scopes each role takes -------------------------------------------------------------------

def test_liaison_is_granted_for_one_unit(db):
    user, org = UserFactory(), OrganisationFactory()
    grants.grant_role(user, Role.LIAISON, ScopeType.ORGANISATION, org.id, actor=admin())
    assert roles_of(db, user) == [(Role.LIAISON, ScopeType.ORGANISATION, org.id)]


def test_liaison_needs_a_unit_as_scope(db):
    user = UserFactory()
    with pytest.raises(InvalidInput) as caught:
        grants.grant_role(user, Role.LIAISON, None, None, actor=admin())
    assert caught.value.field == "scope"
    assert roles_of(db, user) == []


def test_liaison_cannot_be_scoped_to_a_committee(db):
    with pytest.raises(InvalidInput) as caught:
        grants.grant_role(UserFactory(), Role.LIAISON, ScopeType.COMMITTEE, CommitteeFactory().id, actor=admin())
    assert caught.value.field == "scope"


def test_staff_may_be_scoped_to_a_committee(db):
    user, committee = UserFactory(), CommitteeFactory()
    grants.grant_role(user, Role.STAFF, ScopeType.COMMITTEE, committee.id, actor=admin())
    assert roles_of(db, user) == [(Role.STAFF, ScopeType.COMMITTEE, committee.id)]


def test_staff_cannot_be_scoped_to_a_unit(db):
    with pytest.raises(InvalidInput) as caught:
        grants.grant_role(UserFactory(), Role.STAFF, ScopeType.ORGANISATION, OrganisationFactory().id, actor=admin())
    assert caught.value.field == "scope"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ID_VIEWER])
def test_admin_and_id_viewer_hold_only_everywhere(db, role):
    with pytest.raises(InvalidInput) as caught:
        grants.grant_role(UserFactory(), role, ScopeType.COMMITTEE, CommitteeFactory().id, actor=admin())
    assert caught.value.field == "scope"


def test_scope_that_does_not_exist_is_refused(db):
    with pytest.raises(InvalidInput) as caught:
        grants.grant_role(UserFactory(), Role.LIAISON, ScopeType.ORGANISATION, 999999, actor=admin())
    assert (caught.value.field, caught.value.message) == ("scope", "The chosen scope does not exist.")


def test_same_role_in_the_same_scope_is_not_granted_twice(db):
    boss, user = admin(), UserFactory()
    grants.grant_role(user, Role.STAFF, None, None, actor=boss)
    with pytest.raises(Conflict) as caught:
        grants.grant_role(user, Role.STAFF, None, None, actor=boss)
    assert caught.value.field == "role"
    assert len(roles_of(db, user)) == 1


def test_same_role_in_two_units_is_two_grants(db):
    boss, user = admin(), UserFactory()
    first, second = OrganisationFactory(), OrganisationFactory()
    grants.grant_role(user, Role.LIAISON, ScopeType.ORGANISATION, first.id, actor=boss)
    grants.grant_role(user, Role.LIAISON, ScopeType.ORGANISATION, second.id, actor=boss)
    assert len(roles_of(db, user)) == 2


# --- revoking ----------------------------------------------------------------------------------------

def test_admin_cannot_revoke_their_own_admin_role(db):
    boss = admin()
    [own] = grants.grants_for(boss)
    with pytest.raises(Conflict) as caught:
        grants.revoke_grant(own.id, actor=boss)
    assert caught.value.message == "You cannot remove your own administrator role."
    assert roles_of(db, boss) == [(Role.ADMIN, None, None)]


def test_admin_revokes_another_admins_role(db):
    boss, other = admin(), admin()
    [theirs] = grants.grants_for(other)
    grants.revoke_grant(theirs.id, actor=boss)
    assert roles_of(db, other) == []


def test_staff_cannot_revoke_a_role(db):
    unit_liaison = liaison(OrganisationFactory())
    [theirs] = grants.grants_for(unit_liaison)
    with pytest.raises(PermissionDenied):
        grants.revoke_grant(theirs.id, actor=staff())
    assert len(roles_of(db, unit_liaison)) == 1


def test_admin_page_refuses_to_revoke_ones_own_admin_role(client, db):
    boss = admin()
    [own] = grants.grants_for(boss)
    enter_as(client, boss)
    page = client.post(f"/admin/grants/{own.id}/revoke", data={"user_id": boss.id}, follow_redirects=True)
    assert "You cannot remove your own administrator role." in flashes(page)
    assert roles_of(db, boss) == [(Role.ADMIN, None, None)]


# --- audited ----------------------------------------------------------------------------------------

def test_granting_is_audited_with_role_and_scope(db):
    boss, user, org = admin(), UserFactory(), OrganisationFactory()
    grants.grant_role(user, Role.LIAISON, ScopeType.ORGANISATION, org.id, actor=boss)
    line = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "grant.created"))
    assert (line.actor_id, line.object_type, line.object_id) == (boss.id, "users", user.id)
    assert line.after == {"role": "liaison", "scope_type": "organisation", "scope_id": org.id}


def test_revoking_is_audited_with_what_was_taken(db):
    boss, user = admin(), staff()
    [theirs] = grants.grants_for(user)
    grants.revoke_grant(theirs.id, actor=boss)
    line = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "grant.revoked"))
    assert (line.actor_id, line.object_id) == (boss.id, user.id)
    assert line.before == {"role": "staff", "scope_type": None, "scope_id": None}


def test_refused_grant_leaves_no_audit_line(db):
    with pytest.raises(InvalidInput):
        grants.grant_role(UserFactory(), Role.LIAISON, None, None, actor=admin())
    assert db.session.scalar(select(AuditEntry.id)) is None


# --- the grants page ------------------------------------------------------------------------------

def test_admin_grants_a_liaison_on_the_page(client, db):
    user, org = UserFactory(), OrganisationFactory()
    enter_as(client, admin())
    assert 'name="unit"' in client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    response = client.post(f"/admin/users/{user.id}",
                           data={"role": "liaison", "scope": "organisation", "unit": org.name})
    assert response.status_code == 302
    assert roles_of(db, user) == [(Role.LIAISON, ScopeType.ORGANISATION, org.id)]


@pytest.mark.parametrize("scope, unit, message", [
    ("organisation", "", "Please enter the unit's name or credit code."),
    ("organisation", "无此单位", "No member unit has this name or credit code."),
    ("", "ORG", "Choose “A member unit” as the scope, or leave the unit empty."),
], ids=["no unit named", "unknown unit", "a unit with another scope"])
def test_a_unit_scope_needs_exactly_the_unit_typed(client, db, scope, unit, message):
    user, org = UserFactory(), OrganisationFactory()
    enter_as(client, admin())
    response = client.post(f"/admin/users/{user.id}", data={"role": "liaison", "scope": scope,
                                                            "unit": org.name if unit == "ORG" else unit})
    assert response.status_code == 422
    assert field_errors(response)["unit"] == [message]
    assert roles_of(db, user) == []


def test_grants_page_names_the_scope_a_liaison_lacks(client, db):
    user = UserFactory()
    enter_as(client, admin())
    response = client.post(f"/admin/users/{user.id}", data={"role": "liaison", "scope": ""})
    assert response.status_code == 422
    assert field_errors(response)["scope"] == ["This role cannot be granted in that scope."]
    assert roles_of(db, user) == []


def test_new_role_takes_effect_on_the_next_request(client, db):
    user = UserFactory()
    enter_as(client, user)
    assert client.get("/persons").status_code == 403
    grants.grant_role(user, Role.STAFF, None, None, actor=admin())
    assert client.get("/persons").status_code == 200

