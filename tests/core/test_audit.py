"""The audit log: append-only at the database, written by services with before and after,
and browsable by those who hold audit.view."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.accounts.services import people
from app.core import audit
from app.core.audit import AuditEntry
from app.orgs.services import units
from tests.accounts.sessions import enter_as
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, liaison, staff


@pytest.fixture
def entry(db):
    """One committed audit line."""
    audit.record("person.updated", PersonFactory(), actor=UserFactory(), before={"job_title": "电工"},
                 after={"job_title": "焊工"}, reason="更正")
    db.session.commit()
    return db.session.scalars(audit.entries(action="person.updated")).one()


# --- append-only ------------------------------------------------------------------------------

def test_database_refuses_to_update_an_audit_line(db, entry):
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("UPDATE audit_entries SET action = 'person.deleted' WHERE id = :id"), {"id": entry.id})
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.id == entry.id)) == "person.updated"


def test_database_refuses_to_delete_an_audit_line(db, entry):
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": entry.id})
    db.session.rollback()
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1


def test_orm_cannot_change_an_audit_line_either(db, entry):
    entry.reason = "篡改"
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.reason).where(AuditEntry.id == entry.id)) == "更正"


def test_audit_line_lands_only_with_the_change_it_records(db):
    audit.record("person.updated", PersonFactory(), before={"job_title": "电工"}, after={"job_title": "焊工"})
    db.session.rollback()
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


# --- services write before and after ----------------------------------------------------------

def test_person_update_records_who_changed_what_from_what(db):
    editor = staff()
    person = PersonFactory(job_title="电工")
    people.update_person(person, people.PersonFields(full_name=person.full_name, job_title="焊工"), actor=editor)
    line = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.updated"))
    assert (line.actor_id, line.object_type, line.object_id) == (editor.id, "persons", person.id)
    assert (line.before["job_title"], line.after["job_title"]) == ("电工", "焊工")


def test_unit_update_records_who_changed_what_from_what(db):
    editor = staff()
    org = OrganisationFactory(city="北京市")
    data = units.OrgFields(name=org.name, credit_code=org.credit_code, province=org.province, org_type=org.org_type,
                           city="天津市")
    units.update_organisation(org, data, actor=editor)
    line = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "organisation.updated"))
    assert (line.actor_id, line.object_type, line.object_id) == (editor.id, "organisations", org.id)
    assert (line.before["city"], line.after["city"]) == ("北京市", "天津市")


# --- the audit page ---------------------------------------------------------------------------

ROW = re.compile(r"<td>(\d+|system)</td>\s*<td><code>([^<]+)</code></td>\s*<td>([^<]*)</td>")


def shown(response) -> list[tuple[str, str, str]]:
    """(actor, action, object) of each line the audit page lists."""
    return [(actor, action, " ".join(obj.split())) for actor, action, obj in ROW.findall(response.get_data(as_text=True))]


@pytest.fixture
def log(db):
    """Three lines by two actors about two objects; returns (auditor, alice, bob, org, person)."""
    alice, bob = UserFactory(), UserFactory()
    org, person = OrganisationFactory(), PersonFactory()
    audit.record("organisation.updated", org, actor=alice)
    audit.record("person.updated", person, actor=bob)
    audit.record("person.id_revealed", person, actor=alice, reason="核对")
    db.session.commit()
    return staff(), alice, bob, org, person


def test_audit_page_lists_every_line_newest_first(client, log):
    auditor, alice, bob, org, person = log
    enter_as(client, auditor)
    assert shown(client.get("/admin/audit")) == [
        (str(alice.id), "person.id_revealed", f"persons {person.id}"),
        (str(bob.id), "person.updated", f"persons {person.id}"),
        (str(alice.id), "organisation.updated", f"organisations {org.id}"),
    ]


def test_audit_page_filters_by_action_prefix(client, log):
    enter_as(client, log[0])
    assert [action for _, action, _ in shown(client.get("/admin/audit?action=person."))] == [
        "person.id_revealed", "person.updated"]


def test_audit_page_filters_by_object(client, log):
    auditor, alice, bob, org, person = log
    enter_as(client, auditor)
    response = client.get(f"/admin/audit?object_type=organisations&object_id={org.id}")
    assert shown(response) == [(str(alice.id), "organisation.updated", f"organisations {org.id}")]


def test_audit_page_filters_by_actor(client, log):
    auditor, alice, bob, org, person = log
    enter_as(client, auditor)
    assert [action for _, action, _ in shown(client.get(f"/admin/audit?actor_id={bob.id}"))] == ["person.updated"]


def test_audit_page_shows_the_reason_given(client, log):
    enter_as(client, log[0])
    assert "<td>核对</td>" in client.get("/admin/audit?action=person.id_revealed").get_data(as_text=True)


def test_liaison_cannot_read_the_audit_log(client, log):
    enter_as(client, liaison(OrganisationFactory()))
    assert client.get("/admin/audit").status_code == 403


def test_person_without_a_role_cannot_read_the_audit_log(client, log):
    enter_as(client, UserFactory())
    assert client.get("/admin/audit").status_code == 403


def test_audit_log_sends_anonymous_visitors_to_sign_in(client, log):
    response = client.get("/admin/audit")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
