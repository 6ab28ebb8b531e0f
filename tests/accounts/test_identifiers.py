"""Login identifiers: one normal form each, so look-alike accounts cannot exist.

"Wang.Li", " wang.li " and "ｗａｎｇ．ｌｉ" are one username; e-mails that differ by case
or full-width characters are one address; a phone is the same number with or without
spaces, dashes, +86/0086 or full-width digits. Checked on the pure functions, on the
account service, on the sign-up page, and on login.
"""
from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.accounts.models import Person, User
from app.accounts.services import auth
from app.core.errors import Conflict
from app.core.identifiers import IdentifierError, classify, normalise_email, normalise_phone, normalise_username
from tests.accounts.sessions import field_errors
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)
from tests.factories import PersonFactory, UserFactory
from tests.support import TEST_PASSWORD


def full_width(text: str) -> str:
    """Printable ASCII as its full-width form (Ａ, ．, ＠, １ …) and the space as U+3000."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


# --- the pure normal forms ----------------------------------------------------------------

@pytest.mark.no_database
@pytest.mark.parametrize("raw", ["Wang.Li", "wang.li", " wang.li ", "WANG.LI", "ｗａｎｇ．ｌｉ", " ＷＡＮＧ．ＬＩ\u3000"])
def test_username_look_alikes_share_one_normal_form(raw):
    assert normalise_username(raw) == "wang.li"


@pytest.mark.no_database
@pytest.mark.parametrize("raw", ["1wang", "wa", "wang li", "wang@li", "王力", "w" * 33, ""])
def test_username_that_breaks_the_rules_is_refused(raw):
    with pytest.raises(IdentifierError) as caught:
        normalise_username(raw)
    assert caught.value.kind == "username"


@pytest.mark.no_database
@pytest.mark.parametrize("raw", ["Wang.Li@Example.ORG", " wang.li@example.org ", "ｗａｎｇ．ｌｉ＠ｅｘａｍｐｌｅ．ｏｒｇ",
                                 "WANG.LI@EXAMPLE.ORG"])
def test_email_look_alikes_share_one_normal_form(raw):
    assert normalise_email(raw) == "wang.li@example.org"


@pytest.mark.no_database
@pytest.mark.parametrize("raw", ["wang.li", "wang@li", "wang li@example.org", "@example.org", ""])
def test_email_without_a_valid_shape_is_refused(raw):
    with pytest.raises(IdentifierError) as caught:
        normalise_email(raw)
    assert caught.value.kind == "email"


@pytest.mark.no_database
@pytest.mark.parametrize("raw", ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000",
                                 "+8613800138000", "0086 138-0013-8000", "１３８００１３８０００",
                                 "＋８６　１３８００１３８０００", "(+86) 138 0013 8000"])
def test_mainland_mobile_look_alikes_share_one_normal_form(raw):
    assert normalise_phone(raw) == "13800138000"


@pytest.mark.no_database
def test_international_number_keeps_its_plus_and_country_code():
    assert normalise_phone("+852 9123 4567") == "+85291234567"


@pytest.mark.no_database
@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "138001380001", "phone", "+0123456", ""])
def test_phone_that_is_no_mobile_number_is_refused(raw):
    with pytest.raises(IdentifierError) as caught:
        normalise_phone(raw)
    assert caught.value.kind == "phone"


@pytest.mark.no_database
@pytest.mark.parametrize("raw, expected", [
    (" ＷＡＮＧ．ＬＩ ", ("username", "wang.li")),
    ("Wang.Li@Example.org", ("email", "wang.li@example.org")),
    ("＋８６ １３８-００１３-８０００", ("phone", "13800138000")),
    ("not a login!", None),
])
def test_login_form_input_is_classified_and_normalised(raw, expected):
    assert classify(raw) == expected


# Usernames of the allowed shape in mixed case, and strings of letters (with some that
# change under case folding or NFKC: ſ, K, ß, ﬁ), digits, punctuation and spaces; only those
# that normalise at all are the property's subject.
usernames = st.one_of(
    st.from_regex(r"[a-zA-Z][a-zA-Z0-9_.\-]{2,31}", fullmatch=True),
    st.text(alphabet=st.sampled_from("abcxyzABCXYZ019_.- ſKßﬁ"), min_size=1, max_size=34),
)


@pytest.mark.no_database
@given(usernames)
def test_case_padding_and_full_width_never_change_a_usernames_normal_form(raw):
    try:
        normal = normalise_username(raw)
    except IdentifierError:
        assume(False)
    assert normalise_username(raw.upper()) == normal
    assert normalise_username(" " + raw + " ") == normal
    assert normalise_username(full_width(raw)) == normal


# --- the account service refuses look-alikes -----------------------------------------------

@pytest.fixture
def wang_li(db):
    """An account holding one username, e-mail and phone, each in its normal form."""
    return UserFactory(username="wang.li", email="wang.li@example.org", phone="13800138000")


def user_count(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


@pytest.mark.parametrize("look_alike", ["Wang.Li", " ｗａｎｇ．ｌｉ ", "WANG.LI"])
def test_service_refuses_a_username_that_only_looks_different(db, wang_li, look_alike):
    with pytest.raises(Conflict) as caught:
        auth.create_user(PersonFactory(), auth.LoginFields(username=look_alike))
    assert caught.value.field == "username"
    assert user_count(db) == 1


@pytest.mark.parametrize("look_alike", ["Wang.Li@Example.org", "ｗａｎｇ．ｌｉ＠ｅｘａｍｐｌｅ．ｏｒｇ"])
def test_service_refuses_an_email_that_only_looks_different(db, wang_li, look_alike):
    with pytest.raises(Conflict) as caught:
        auth.create_user(PersonFactory(), auth.LoginFields(email=look_alike))
    assert caught.value.field == "email"
    assert user_count(db) == 1


@pytest.mark.parametrize("look_alike", ["+86 138 0013 8000", "0086-138-0013-8000", "１３８００１３８０００"])
def test_service_refuses_a_phone_that_only_looks_different(db, wang_li, look_alike):
    with pytest.raises(Conflict) as caught:
        auth.create_user(PersonFactory(), auth.LoginFields(phone=look_alike))
    assert caught.value.field == "phone"
    assert user_count(db) == 1


def test_service_stores_identifiers_in_their_normal_form(db):
    user = auth.create_user(PersonFactory(), auth.LoginFields(username=" Ｗａｎｇ．Ｌｉ ", email="Wang.Li@Example.ORG",
                                                              phone="+86 138-0013-8000"))
    row = db.session.execute(select(User.username, User.email, User.phone).where(User.id == user.id)).one()
    assert tuple(row) == ("wang.li", "wang.li@example.org", "13800138000")


# --- the sign-up page refuses look-alikes --------------------------------------------------

def sign_up(client, **fields):
    form = {"full_name": "王力", "phone": "", "email": "", "password": "a good long password",
            "confirm": "a good long password"}
    form.update(fields)
    return client.post("/signup", data=form)


def person_count(db) -> int:
    return db.session.scalar(select(func.count(Person.id)))


@pytest.mark.parametrize("look_alike", ["WANG.LI@EXAMPLE.ORG", " ｗａｎｇ．ｌｉ＠ｅｘａｍｐｌｅ．ｏｒｇ "])
def test_sign_up_page_refuses_an_email_that_only_looks_different(client, db, wang_li, look_alike):
    persons_before = person_count(db)
    response = sign_up(client, email=look_alike)
    assert response.status_code == 409
    assert "This e-mail address is already used by another account." in field_errors(response)["email"]
    assert (user_count(db), person_count(db)) == (1, persons_before)


@pytest.mark.parametrize("look_alike", ["+86 138 0013 8000", "0086 138-0013-8000", "１３８ ００１３ ８０００"])
def test_sign_up_page_refuses_a_phone_that_only_looks_different(client, db, wang_li, look_alike):
    persons_before = person_count(db)
    response = sign_up(client, phone=look_alike)
    assert response.status_code == 409
    assert "This phone number is already used by another account." in field_errors(response)["phone"]
    assert (user_count(db), person_count(db)) == (1, persons_before)


# --- login finds one's account by any look-alike form -------------------------------------

@pytest.mark.parametrize("typed", ["wang.li", "Wang.Li", " ＷＡＮＧ．ＬＩ ", "Wang.Li@Example.ORG",
                                   "ｗａｎｇ．ｌｉ＠ｅｘａｍｐｌｅ．ｏｒｇ", "+86 138 0013 8000", "0086-138-0013-8000",
                                   "１３８００１３８０００"])
def test_login_finds_the_account_by_any_look_alike_of_its_identifiers(wang_li, typed):
    assert auth.find_user(typed) == wang_li


def test_login_page_signs_in_with_a_full_width_upper_case_username(client, wang_li):
    response = client.post("/login", data={"identifier": " ＷＡＮＧ．ＬＩ ", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
