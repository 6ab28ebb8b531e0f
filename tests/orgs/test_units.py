"""Member units (会员单位): the credit code checked and normalised, no two units with one
name or code, staff change any unit and a liaison only their own."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.core import ids
from app.core.errors import Conflict, InvalidInput, PermissionDenied
from app.orgs.models import Organisation, OrgType
from app.orgs.services import units
from app.orgs.services.units import OrgFields
from tests.factories import OrganisationFactory, credit_code, liaison, staff

CODE = credit_code(4242)


def fields(**changes) -> OrgFields:
    values = {"name": "华北电网检修有限公司", "credit_code": CODE, "province": "北京市", "org_type": OrgType.ENTERPRISE}
    values.update(changes)
    return OrgFields(**values)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in text)


def org_count(db) -> int:
    return db.session.scalar(select(func.count(Organisation.id)))


# --- the credit code -----------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [CODE.lower(), f" {CODE[:8]} {CODE[8:]} ", full_width(CODE), f"{CODE[:9]}-{CODE[9:]}"],
                         ids=["lower-case", "spaced", "full-width", "hyphenated"])
def test_credit_code_is_stored_normalised(db, typed):
    org = units.create_organisation(fields(credit_code=typed), actor=staff())
    assert org.credit_code == CODE


@pytest.mark.no_database
@given(st.integers(min_value=0, max_value=10**9 - 1), st.sampled_from([str.lower, str.upper, full_width,
                                                                         lambda c: " ".join(c)]))
def test_any_valid_credit_code_survives_any_way_of_typing_it(n, retype):
    code = credit_code(n)
    assert units.clean(fields(credit_code=retype(code))).credit_code == code


@pytest.mark.parametrize("typed, message", [
    (CODE[:17] + ("0" if CODE[17] != "0" else "1"),
     "The credit code's check character is wrong; please check it for typing errors."),
    (CODE[:17], "A unified social credit code has 18 characters."),
    ("I" + CODE[1:], "The credit code contains a character that is not allowed (I, O, S, V and Z are never used)."),
    ("", "Please enter the unified social credit code."),
], ids=["checksum", "length", "charset", "empty"])
def test_bad_credit_code_is_refused_naming_the_field(db, typed, message):
    with pytest.raises(InvalidInput) as caught:
        units.create_organisation(fields(credit_code=typed), actor=staff())
    assert (caught.value.field, caught.value.message) == ("credit_code", message)
    assert org_count(db) == 0


def test_stored_credit_codes_validate(db):
    org = units.create_organisation(fields(credit_code=full_width(CODE)), actor=staff())
    assert ids.parse_credit_code(org.credit_code) == org.credit_code


# --- other fields ---------------------------------------------------------------------------------

def test_contact_phone_is_stored_normalised(db):
    org = units.create_organisation(fields(contact_phone="+86 139-0013-9000"), actor=staff())
    assert org.contact_phone == "13900139000"


def test_bad_contact_phone_is_refused_naming_the_field(db):
    with pytest.raises(InvalidInput) as caught:
        units.create_organisation(fields(contact_phone="010-1234"), actor=staff())
    assert caught.value.field == "contact_phone"


def test_unit_without_a_type_is_refused_naming_the_field(db):
    with pytest.raises(InvalidInput) as caught:
        units.create_organisation(fields(org_type=None), actor=staff())
    assert caught.value.field == "org_type"


def test_spaces_in_a_name_are_tidied(db):
    org = units.create_organisation(fields(name="  华北电网   检修有限公司 "), actor=staff())
    assert org.name == "华北电网 检修有限公司"


# --- duplicates ---------------------------------------------------------------------------------

def test_second_unit_with_the_same_credit_code_is_a_conflict(db):
    units.create_organisation(fields(), actor=staff())
    with pytest.raises(Conflict) as caught:
        units.create_organisation(fields(name="另一家有限公司", credit_code=full_width(CODE.lower())), actor=staff())
    assert (caught.value.field, caught.value.message) == ("credit_code", "A unit with this credit code already exists.")
    assert org_count(db) == 1


def test_second_unit_with_the_same_name_is_a_conflict(db):
    units.create_organisation(fields(), actor=staff())
    with pytest.raises(Conflict) as caught:
        units.create_organisation(fields(name=" 华北电网检修有限公司 ", credit_code=credit_code(4243)), actor=staff())
    assert (caught.value.field, caught.value.message) == ("name", "A unit with this name already exists.")
    assert org_count(db) == 1


def test_renaming_a_unit_to_anothers_name_is_a_conflict(db):
    first = OrganisationFactory()
    second = OrganisationFactory()
    with pytest.raises(Conflict) as caught:
        units.update_organisation(second, fields(name=first.name, credit_code=second.credit_code), actor=staff())
    assert caught.value.field == "name"


def test_unit_keeps_its_own_name_and_code_on_update(db):
    org = OrganisationFactory()
    units.update_organisation(org, fields(name=org.name, credit_code=org.credit_code, city="天津市"), actor=staff())
    assert org.city == "天津市"


# --- who may change which unit ---------------------------------------------------------------------

def test_liaison_edits_their_own_unit(db):
    org = OrganisationFactory()
    units.update_organisation(org, fields(name=org.name, credit_code=org.credit_code, contact_name="赵联络"),
                              actor=liaison(org))
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).contact_name == "赵联络"


def test_liaison_cannot_edit_another_unit(db):
    own, other = OrganisationFactory(), OrganisationFactory(city="北京市")
    with pytest.raises(PermissionDenied):
        units.update_organisation(other, fields(name=other.name, credit_code=other.credit_code, city="天津市"),
                                  actor=liaison(own))
    db.session.expire_all()
    assert db.session.get(Organisation, other.id).city == "北京市"


def test_liaison_cannot_add_a_unit(db):
    with pytest.raises(PermissionDenied):
        units.create_organisation(fields(), actor=liaison(OrganisationFactory()))
    assert org_count(db) == 1


def test_liaison_sees_only_their_own_unit(db):
    own, _other = OrganisationFactory(), OrganisationFactory()
    assert db.session.scalars(units.visible_organisations(liaison(own))).all() == [own]


def test_staff_sees_every_unit(db):
    made = {OrganisationFactory().id, OrganisationFactory().id}
    assert {o.id for o in db.session.scalars(units.visible_organisations(staff()))} == made


def test_unit_is_found_by_its_credit_code_typed_in_lower_case(db):
    org = OrganisationFactory()
    assert db.session.scalars(units.visible_organisations(staff(), search=org.credit_code.lower())).all() == [org]
