"""The audit log: append-only at the database, written by services with before and after,
and browsable by those who hold audit.view."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
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

def shown(response) -> list[tuple[str, str, str]]:
    """(who, what, object) of each line the audit page lists, as the reader sees them."""
    html = response.get_data(as_text=True)
    found = []
    for row in re.findall(r'<tr data-entry="\d+">(.*?)</tr>', html, re.S):
        cells = dict(re.findall(r'data-testid="(who|what|object)">(.*?)</td>', row, re.S))
        text_of = {name: " ".join(re.sub(r"<div.*", "", re.sub(r"\s+", " ", value), flags=re.S)
                                  .replace("</a>", "").split(">")[-1].split()) for name, value in cells.items()}
        found.append((text_of["who"], text_of["what"], text_of["object"]))
    return found


@pytest.fixture
def log(db):
    """Three lines by two actors about two objects; returns (auditor, alice, bob, org, person)."""
    alice, bob = UserFactory(person__full_name="艾丽斯"), UserFactory(person__full_name="鲍勃")
    org, person = OrganisationFactory(name="华北电网"), PersonFactory(full_name="张三")
    audit.record("organisation.updated", org, actor=alice)
    audit.record("person.updated", person, actor=bob)
    audit.record("person.id_revealed", person, actor=alice, reason="核对")
    db.session.commit()
    return staff(), alice, bob, org, person


def test_audit_page_lists_every_line_newest_first_in_words(client, log):
    auditor, alice, bob, org, person = log
    enter_as(client, auditor)
    assert shown(client.get("/admin/audit")) == [
        ("艾丽斯", "Full ID number viewed", "张三"),
        ("鲍勃", "Person changed", "张三"),
        ("艾丽斯", "Member unit changed", "华北电网"),
    ]


def test_audit_page_links_the_object_and_names_the_actors_role(client, db):
    auditor = staff()
    org = OrganisationFactory(name="华北电网")
    audit.record("organisation.updated", org, actor=auditor)
    db.session.commit()
    enter_as(client, auditor)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert f'href="/orgs/{org.id}">华北电网</a>' in html and "Staff" in html


def test_a_line_without_an_actor_is_the_system(client, db):
    audit.record("registration.promoted", OrganisationFactory(), actor=None)
    db.session.commit()
    enter_as(client, staff())
    [(who, _, _)] = shown(client.get("/admin/audit"))
    assert who == "System"
    client.get("/language/zh_CN")
    assert "系统" in client.get("/admin/audit").get_data(as_text=True)


def test_an_undescribed_action_reads_as_words(client, db):
    audit.record("widget.frobnicated_twice", OrganisationFactory(), actor=None)
    db.session.commit()
    enter_as(client, staff())
    assert shown(client.get("/admin/audit"))[0][1] == "Widget: frobnicated twice"


def test_changes_read_field_before_arrow_after_without_escapes(client, db):
    audit.record("person.updated", PersonFactory(), actor=staff(), before={"job_title": "电工", "city": "北京"},
                 after={"job_title": "焊工", "city": "北京"})
    db.session.commit()
    enter_as(client, staff())
    client.get("/language/zh_CN")
    html = client.get("/admin/audit").get_data(as_text=True)
    changes = re.search(r'data-testid="changes">(.*?)</td>', html, re.S).group(1)
    assert "电工 → 焊工" in changes and "\\u" not in changes and "{" not in changes and "北京" not in changes


def test_audit_page_filters_by_action(client, log):
    enter_as(client, log[0])
    assert [what for _, what, _ in shown(client.get("/admin/audit?action=person."))] == [
        "Full ID number viewed", "Person changed"]


def test_audit_page_filters_by_object(client, log):
    auditor, alice, bob, org, person = log
    enter_as(client, auditor)
    response = client.get(f"/admin/audit?object_type=organisations&object_id={org.id}")
    assert shown(response) == [("艾丽斯", "Member unit changed", "华北电网")]


def test_audit_page_filters_by_actor_and_by_the_system(client, log, db):
    auditor, alice, bob, org, person = log
    audit.record("registration.promoted", org, actor=None)
    db.session.commit()
    enter_as(client, auditor)
    assert [what for _, what, _ in shown(client.get(f"/admin/audit?actor_id={bob.id}"))] == ["Person changed"]
    assert [who for who, _, _ in shown(client.get("/admin/audit?actor_id=system"))] == ["System"]


def test_audit_page_filters_by_date(client, log):
    enter_as(client, log[0])
    assert len(shown(client.get("/admin/audit?since=2000-01-01"))) == 3
    assert shown(client.get("/admin/audit?until=2000-01-01")) == []


def test_audit_page_shows_the_reason_given(client, log):
    enter_as(client, log[0])
    assert ">核对</td>" in client.get("/admin/audit?action=person.id_revealed").get_data(as_text=True)


def test_audit_export_names_people_and_is_formula_safe(client, db):
    org = OrganisationFactory(name="=HYPERLINK(\"http://x\")")
    audit.record("organisation.updated", org, actor=staff(), before={"city": "北京"}, after={"city": "天津"})
    db.session.commit()
    enter_as(client, staff())
    response = client.get("/admin/audit.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    row = [cell.value for cell in sheet[2]]
    assert response.status_code == 200 and row[3] == "Member unit changed"
    assert row[5] == "'=HYPERLINK(\"http://x\")" and row[6] == "City: 北京 → 天津"


def test_committee_staff_see_only_their_committees_lines(client, db):
    from app.competitions.models import Competition
    from tests.factories import CommitteeFactory, CompetitionFactory

    ours, other = CommitteeFactory(), CommitteeFactory()
    mine = CompetitionFactory(name="本委员会竞赛", committee_id=ours.id)
    theirs = CompetitionFactory(name="别的委员会竞赛", committee_id=other.id)
    for competition in (mine, theirs):
        audit.record("competition.updated", competition, actor=staff())
    audit.record("person.updated", PersonFactory(full_name="某某人"), actor=staff(), after={"birth_date": "1990-01-01"})
    db.session.commit()
    enter_as(client, staff(ours))
    assert shown(client.get("/admin/audit")) == [(shown_who(db, mine), "Competition changed", "本委员会竞赛")]
    assert db.session.get(Competition, theirs.id) is not None


def shown_who(db, competition) -> str:
    line = db.session.scalars(audit.entries(object_type="competitions", object_id=competition.id)).one()
    return line.actor_id and db.session.get(UserFactory._meta.model, line.actor_id).display_name


def test_liaison_cannot_read_the_audit_log(client, log):
    enter_as(client, liaison(OrganisationFactory()))
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.xlsx").status_code == 403
