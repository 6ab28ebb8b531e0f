"""People: ID documents checked, stored encrypted, found by keyed hash and shown masked;
full numbers only to id viewers with a reason; liaisons see and edit their own unit's people.
"""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select, text

from app.core.audit import SYSTEM
from app.accounts.models import Gender, Person
from app.accounts.services import people
from app.accounts.services.people import PersonFields
from app.core import crypto, ids
from app.core.audit import AuditEntry
from app.core.errors import Conflict, InvalidInput, PermissionDenied
from app.core.permissions import Role
from tests.accounts.sessions import enter_as, field_errors
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, grant, liaison, resident_id, staff

BORN = date(1985, 7, 15)
NUMBER = resident_id(5, born=BORN, female=True)          # 110105198507150104: a woman born 1985-07-15
NUMBER_WITH_X = resident_id(3)                           # 11010519900101007X: a man born 1990-01-01


def full_width(number: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in number)


def spaced(number: str) -> str:
    return f" {number[:6]} {number[6:14]}\u3000{number[14:]} "


def with_id(number: str, **extra) -> PersonFields:
    return PersonFields(full_name="李娜", id_type=ids.IdType.RESIDENT_ID, id_number=number, **extra)


def person_count(db) -> int:
    return db.session.scalar(select(func.count(Person.id)))


def refusal(data: PersonFields) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        people.create_person(data, actor=SYSTEM)
    return caught.value


# --- the ID number is checked ---------------------------------------------------------------

def test_resident_id_with_a_wrong_check_digit_is_refused(db):
    wrong = NUMBER[:17] + ("1" if NUMBER[17] != "1" else "2")
    error = refusal(with_id(wrong))
    assert (error.field, error.message) == (
        "id_number", "The ID number's check digit is wrong; please check it for typing errors.")
    assert person_count(db) == 0


def test_fifteen_digit_legacy_id_is_refused_with_a_clear_message(db):
    error = refusal(with_id("110105850715010"))
    assert (error.field, error.message) == (
        "id_number", "15-digit ID numbers are no longer valid; please enter the 18-digit number.")


@pytest.mark.parametrize("typed", [full_width(NUMBER), spaced(NUMBER), spaced(full_width(NUMBER))],
                         ids=["full-width", "spaced", "full-width-and-spaced"])
def test_id_number_typed_with_full_width_digits_or_spaces_is_stored_normalised(db, typed):
    person = people.create_person(with_id(typed), actor=SYSTEM)
    assert crypto.decrypt(person.id_number_encrypted) == NUMBER
    assert person.id_hash == crypto.keyed_hash("resident_id", NUMBER)
    assert person.id_masked == "110***********0104"


def test_lower_case_check_character_x_is_stored_upper_case(db):
    person = people.create_person(with_id(NUMBER_WITH_X.lower()), actor=SYSTEM)
    assert crypto.decrypt(person.id_number_encrypted) == NUMBER_WITH_X


def test_gender_and_birth_date_are_taken_from_the_resident_id(db):
    person = people.create_person(with_id(NUMBER), actor=SYSTEM)
    assert (person.gender, person.birth_date) == (Gender.FEMALE, BORN)


def test_gender_that_contradicts_the_id_number_is_refused(db):
    error = refusal(with_id(NUMBER, gender=Gender.MALE))
    assert (error.field, error.message) == ("gender", "The gender does not match the ID number.")
    assert person_count(db) == 0


def test_birth_date_that_contradicts_the_id_number_is_refused(db):
    error = refusal(with_id(NUMBER, birth_date=date(1985, 7, 16)))
    assert (error.field, error.message) == ("birth_date", "The birth date does not match the ID number.")


def test_gender_and_birth_date_that_agree_with_the_id_number_are_accepted(db):
    person = people.create_person(with_id(NUMBER, gender=Gender.FEMALE, birth_date=BORN), actor=SYSTEM)
    assert person.id is not None


def test_update_that_keeps_the_stored_id_number_is_checked_against_it(db):
    person = people.create_person(with_id(NUMBER), actor=SYSTEM)
    with pytest.raises(InvalidInput) as caught:
        people.update_person(person, PersonFields(full_name="李娜", gender=Gender.MALE), actor=SYSTEM)
    assert caught.value.field == "gender"
    db.session.expire_all()
    assert db.session.get(Person, person.id).gender == Gender.FEMALE


def test_update_that_keeps_the_stored_id_number_keeps_gender_and_birth_date(db):
    person = people.create_person(with_id(NUMBER), actor=SYSTEM)
    people.update_person(person, PersonFields(full_name="李娜", job_title="电工"), actor=SYSTEM)
    db.session.expire_all()
    kept = db.session.get(Person, person.id)
    assert (kept.gender, kept.birth_date, kept.job_title) == (Gender.FEMALE, BORN, "电工")
    assert crypto.decrypt(kept.id_number_encrypted) == NUMBER


def test_passport_number_is_normalised_and_masked(db):
    person = people.create_person(PersonFields(full_name="Anna Li", id_type=ids.IdType.PASSPORT,
                                               id_number="e 1234 5678"), actor=SYSTEM)
    assert (crypto.decrypt(person.id_number_encrypted), person.id_masked) == ("E12345678", "E1*****78")


# --- stored encrypted, de-duplicated by keyed hash ------------------------------------------

def test_id_number_appears_in_no_column_of_the_persons_row(db):
    person = people.create_person(with_id(NUMBER), actor=SYSTEM)
    row = db.session.execute(text("SELECT * FROM persons WHERE id = :id"), {"id": person.id}).mappings().one()
    assert row["id_number_encrypted"]  # the number is there, but only encrypted
    for column, value in row.items():
        assert NUMBER not in str(value), column
        assert NUMBER[6:14] + NUMBER[14:] not in str(value), column


@pytest.mark.parametrize("typed", [spaced(NUMBER), full_width(NUMBER), f"{NUMBER[:6]}-{NUMBER[6:]}"],
                         ids=["spaced", "full-width", "hyphenated"])
def test_same_id_number_typed_differently_is_a_duplicate(db, typed):
    people.create_person(with_id(NUMBER), actor=SYSTEM)
    with pytest.raises(Conflict) as caught:
        people.create_person(PersonFields(full_name="另一个人", id_type=ids.IdType.RESIDENT_ID, id_number=typed),
                             actor=SYSTEM)
    assert caught.value.field == "id_number"
    assert person_count(db) == 1


def test_changing_someone_to_anothers_id_number_is_a_duplicate(db):
    people.create_person(with_id(NUMBER), actor=SYSTEM)
    other = PersonFactory()
    with pytest.raises(Conflict) as caught:
        people.update_person(other, with_id(full_width(NUMBER)), actor=SYSTEM)
    assert caught.value.field == "id_number"


def test_person_is_found_by_a_whole_id_number_typed_any_way(db):
    person = people.create_person(with_id(NUMBER), actor=SYSTEM)
    found = db.session.scalars(people.visible_persons(staff(), search=spaced(full_width(NUMBER)))).all()
    assert found == [person]


def test_creation_audit_line_carries_the_masked_number_only(db):
    person = people.create_person(with_id(NUMBER), actor=staff())
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.created"))
    assert (entry.object_id, entry.after["id_masked"]) == (person.id, "110***********0104")
    assert NUMBER not in str(entry.after)


# --- shown masked in every page ----------------------------------------------------------------

@pytest.fixture
def on_file(db):
    """A person with NUMBER on file, in a member unit."""
    return people.create_person(with_id(NUMBER, organisation_id=OrganisationFactory().id), actor=SYSTEM)


@pytest.fixture
def staff_client(client):
    enter_as(client, staff())
    return client


@pytest.mark.parametrize("page", ["/persons/{id}", "/persons", "/persons/{id}/edit", "/persons?q=李娜",
                                  "/admin/audit?object_type=persons"])
def test_pages_show_the_id_number_masked_never_whole(staff_client, on_file, page):
    response = staff_client.get(page.format(id=on_file.id))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert NUMBER not in html
    assert "110***********0104" in html


def test_person_added_on_the_page_is_shown_masked(staff_client, db):
    response = staff_client.post("/persons/new", data={"full_name": "李娜", "id_type": "resident_id",
                                                       "id_number": full_width(NUMBER), "organisation_id": ""})
    assert response.status_code == 302
    page = staff_client.get(response.headers["Location"])
    assert "110***********0104" in page.get_data(as_text=True)
    assert NUMBER not in page.get_data(as_text=True)


def test_page_names_the_field_of_a_contradicting_gender(staff_client, db):
    before = person_count(db)
    response = staff_client.post("/persons/new", data={"full_name": "李娜", "id_type": "resident_id",
                                                       "id_number": NUMBER, "gender": "M", "organisation_id": ""})
    assert response.status_code == 422
    assert field_errors(response)["gender"] == ["The gender does not match the ID number."]
    assert person_count(db) == before


# --- revealing the full number --------------------------------------------------------------

def id_viewer():
    user = staff()
    grant(user, Role.ID_VIEWER)
    return user


def reveal(client, person, reason="核对参赛资格"):
    return client.post(f"/persons/{person.id}/reveal-id", data={"reason": reason})


def reveal_lines(db) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "person.id_revealed")))


def test_id_viewer_sees_the_full_number_after_giving_a_reason(client, on_file):
    enter_as(client, id_viewer())
    response = reveal(client, on_file)
    assert response.status_code == 200
    assert re.search(rf'data-testid="id-number">{NUMBER}<', response.get_data(as_text=True))
    assert response.headers["Cache-Control"] == "no-store"


def test_revealing_writes_an_audit_line_with_the_reason(client, db, on_file):
    viewer = id_viewer()
    enter_as(client, viewer)
    reveal(client, on_file, reason="核对参赛资格")
    [line] = reveal_lines(db)
    assert (line.actor_id, line.object_type, line.object_id, line.reason) == (
        viewer.id, "persons", on_file.id, "核对参赛资格")


def test_staff_without_the_id_viewer_role_cannot_reveal(client, db, on_file):
    enter_as(client, staff())
    response = reveal(client, on_file)
    assert response.status_code == 403
    assert NUMBER not in response.get_data(as_text=True)
    assert reveal_lines(db) == []


def test_revealing_without_a_reason_is_refused(client, db, on_file):
    enter_as(client, id_viewer())
    response = reveal(client, on_file, reason="   ")
    assert response.status_code == 422
    assert NUMBER not in response.get_data(as_text=True)
    assert reveal_lines(db) == []


def test_service_refuses_a_blank_reason(db, on_file):
    with pytest.raises(InvalidInput) as caught:
        people.reveal_id_number(on_file, actor=id_viewer(), reason=" \t")
    assert caught.value.field == "reason"


def test_liaison_who_may_view_id_numbers_cannot_reveal_another_units_people(client, db, on_file):
    own_liaison = liaison(OrganisationFactory())
    grant(own_liaison, Role.ID_VIEWER)
    enter_as(client, own_liaison)
    response = reveal(client, on_file)
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert NUMBER not in html and "李娜" not in html
    assert reveal_lines(db) == []


# --- a liaison's people -----------------------------------------------------------------------

@pytest.fixture
def units(db):
    """Two units with one person each, and the first unit's liaison; returns (liaison, own, other)."""
    own_unit, other_unit = OrganisationFactory(), OrganisationFactory()
    own = PersonFactory(full_name="本单位人员", organisation_id=own_unit.id)
    other = PersonFactory(full_name="外单位人员", organisation_id=other_unit.id)
    return liaison(own_unit), own, other


def test_liaison_list_shows_only_their_units_people(client, units):
    unit_liaison, own, other = units
    enter_as(client, unit_liaison)
    html = client.get("/persons").get_data(as_text=True)
    assert "本单位人员" in html
    assert "外单位人员" not in html


def test_liaison_cannot_open_a_person_of_another_unit(client, units):
    unit_liaison, own, other = units
    enter_as(client, unit_liaison)
    assert client.get(f"/persons/{own.id}").status_code == 200
    assert client.get(f"/persons/{other.id}").status_code == 403


def test_liaison_cannot_edit_a_person_of_another_unit(client, db, units):
    unit_liaison, own, other = units
    enter_as(client, unit_liaison)
    assert client.get(f"/persons/{other.id}/edit").status_code == 403
    response = client.post(f"/persons/{other.id}/edit", data={"full_name": "改名", "organisation_id": ""})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Person, other.id).full_name == "外单位人员"


def test_liaison_edits_a_person_of_their_own_unit(client, db, units):
    unit_liaison, own, other = units
    enter_as(client, unit_liaison)
    response = client.post(f"/persons/{own.id}/edit", data={
        "full_name": "本单位人员", "job_title": "焊工", "organisation_id": own.organisation.name,
        "gender": "M", "birth_date": "1990-01-01"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, own.id).job_title == "焊工"


def test_liaison_names_the_unit_of_a_person_they_add_and_sees_it_by_name(client, db, units):
    unit_liaison, own, other = units
    enter_as(client, unit_liaison)
    before = person_count(db)
    response = client.post("/persons/new", data={"full_name": "新人", "organisation_id": ""})
    assert response.status_code == 422
    assert field_errors(response)["organisation_id"] == ["Please enter the unit's name or credit code."]
    assert person_count(db) == before
    edit_page = client.get(f"/persons/{own.id}/edit").get_data(as_text=True)
    assert f'value="{own.organisation.name}"' in edit_page


def test_liaison_who_types_another_unit_is_refused(client, db, units):
    unit_liaison, own, other = units
    enter_as(client, unit_liaison)
    response = client.post(f"/persons/{own.id}/edit", data={"full_name": "本单位人员",
                                                            "organisation_id": other.organisation.credit_code})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Person, own.id).organisation_id == own.organisation_id


def test_own_profile_unit_is_typed_and_spaces_alone_leave_it_empty(client, db):
    unit, user = OrganisationFactory(name="华北电网"), PersonFactory()
    enter_as(client, UserFactory(person=user))
    assert client.post("/account", data={"full_name": user.full_name, "organisation_id": "华北电网"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, user.id).organisation_id == unit.id
    assert 'value="华北电网"' in client.get("/account").get_data(as_text=True)
    assert client.post("/account", data={"full_name": user.full_name, "organisation_id": "\u3000 "}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, user.id).organisation_id is None


def test_liaison_cannot_move_their_person_to_another_unit(db, units):
    unit_liaison, own, other = units
    with pytest.raises(PermissionDenied):
        people.update_person(own, PersonFields(full_name="本单位人员", organisation_id=other.organisation_id),
                             actor=unit_liaison)


def test_liaison_cannot_add_a_person_to_another_unit(db, units):
    unit_liaison, own, other = units
    before = person_count(db)
    with pytest.raises(PermissionDenied):
        people.create_person(PersonFields(full_name="新人", organisation_id=other.organisation_id),
                             actor=unit_liaison)
    assert person_count(db) == before
