import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.core.ids import (
    CREDIT_CODE_CHARSET,
    PROVINCE_CODES,
    CreditCodeError,
    IdNumberError,
    IdType,
    credit_code_check_char,
    mask_id_number,
    normalise,
    parse_credit_code,
    parse_resident_id,
    resident_id_check_char,
    validate_document,
)

VECTORS = json.loads(
    (Path(__file__).resolve().parents[3] / "shared" / "data" / "cn_id_checksums.json").read_text("utf-8")
)
TODAY = date(2025, 6, 1)


def with_check(body17: str) -> str:
    return body17 + resident_id_check_char(body17)


def full_width(text: str) -> str:
    """ASCII letters and digits as their full-width forms (Ａ, １ …), as Chinese IMEs type them."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in text)


def resident_error(raw: str, today: date = TODAY) -> IdNumberError:
    with pytest.raises(IdNumberError) as caught:
        parse_resident_id(raw, today=today)
    return caught.value


def credit_error(raw: str) -> CreditCodeError:
    with pytest.raises(CreditCodeError) as caught:
        parse_credit_code(raw)
    return caught.value


def by_number(vectors):
    return pytest.mark.parametrize("vector", vectors, ids=[v["number"] for v in vectors])


# --- The shared test vectors --------------------------------------------------------------

# One vector (born 1880) has a correct checksum but a birth date before the 1900 floor.
born_before_1900 = [v for v in VECTORS["ric_valid"] if v["number"][6:14] < "19000101"]
born_since_1900 = [v for v in VECTORS["ric_valid"] if v not in born_before_1900]


@by_number(VECTORS["ric_valid"])
def test_valid_resident_vector_has_the_check_char_we_compute(vector):
    assert resident_id_check_char(vector["number"][:17]) == vector["number"][17]


@by_number(born_since_1900)
def test_valid_resident_vector_parses(vector):
    assert parse_resident_id(vector["number"], today=TODAY).number == vector["number"]


@by_number(born_before_1900)
def test_resident_vector_born_before_1900_is_refused_despite_its_checksum(vector):
    assert resident_error(vector["number"]).code == "birth_date"


def expected_code(vector) -> str:
    """Our code for an invalid vector: its "format" is split into legacy_15, length, format."""
    number, failure = vector["number"], vector["expected_failure"]
    if failure == "birthdate":
        return "birth_date"
    if failure == "format" and len(number) == 15 and number.isdigit():
        return "legacy_15"
    if failure == "format" and len(number) != 18:
        return "length"
    return failure


@by_number(VECTORS["ric_invalid"])
def test_invalid_resident_vector_is_refused_with_its_reason(vector):
    assert resident_error(vector["number"]).code == expected_code(vector)


@by_number(VECTORS["uscc_valid_published"])
def test_published_credit_code_parses(vector):
    assert parse_credit_code(vector["number"]) == vector["number"]


@by_number(VECTORS["uscc_invalid"])
def test_invalid_credit_code_vector_is_refused(vector):
    assert credit_error(vector["number"]).code in {"length", "charset", "checksum"}


# --- Resident IDs ---------------------------------------------------------------------------

def test_full_width_digits_spaces_and_hyphens_are_normalised():
    number = with_check("11010519491231002")  # ends in X
    messy = " " + full_width(number[:6]) + "\u3000" + number[6:14] + "\u00a0-" + full_width(number[14:].lower())
    assert parse_resident_id(messy, today=TODAY).number == number


def test_lower_case_x_is_accepted_as_check_char():
    number = with_check("11010519491231002")
    assert number.endswith("X")
    assert parse_resident_id(number.lower(), today=TODAY).number == number


def test_normalise_folds_full_width_letters_and_removes_all_whitespace():
    assert normalise(" ｇ１２\u3000３-４\u00a0５\u200b ") == "G12345"


def test_blank_number_is_refused_as_empty():
    assert resident_error(" \u3000 ").code == "empty"


def test_legacy_15_digit_number_is_refused():
    assert resident_error("110105900101123").code == "legacy_15"


@pytest.mark.parametrize("raw", ["11010119900101001", "1101011990010100121"], ids=["17", "19"])
def test_wrong_length_is_refused(raw):
    assert resident_error(raw).code == "length"


@pytest.mark.parametrize("raw", ["1101011990010X0011", "11010119900101001?"], ids=["inner X", "symbol"])
def test_characters_other_than_digits_and_final_x_are_refused(raw):
    assert resident_error(raw).code == "format"


@pytest.mark.parametrize("region", ["00", "19", "99"])
def test_number_outside_any_province_is_refused(region):
    assert resident_error(with_check(region + "010119900101001")).code == "region"


@pytest.mark.parametrize("region", ["71", "81", "82", "83"])
def test_taiwan_hong_kong_and_macao_codes_are_accepted(region):
    parse_resident_id(with_check(region + "000019900101001"), today=TODAY)


@pytest.mark.parametrize(
    "birth",
    ["20010229", "19900230", "19900431", "19901301", "19900100", "18991231", "20250602"],
    ids=["not leap", "feb 30", "apr 31", "month 13", "day 0", "before 1900", "after today"],
)
def test_impossible_birth_date_is_refused(birth):
    assert resident_error(with_check("110101" + birth + "001")).code == "birth_date"


@pytest.mark.parametrize("birth", ["19000101", "20250601"], ids=["1900-01-01", "today"])
def test_birth_date_at_either_limit_is_accepted(birth):
    parse_resident_id(with_check("110101" + birth + "001"), today=TODAY)


def test_birth_date_is_checked_against_today_by_default():
    assert resident_error(with_check("110101" + "29991231" + "001"), today=None).code == "birth_date"


def test_wrong_check_char_is_refused_naming_the_right_one():
    number = with_check("11010119900101001")
    wrong = "0" if number[17] != "0" else "1"
    error = resident_error(number[:17] + wrong)
    assert (error.code, error.params) == ("checksum", {"expected": number[17]})


def test_error_does_not_contain_the_number():
    number = with_check("11010119900101001")
    assert number[:17] not in str(resident_error(number[:17] + "Y"))


@pytest.mark.parametrize("sequence_digit, gender", [("1", "M"), ("7", "M"), ("2", "F"), ("0", "F")])
def test_gender_follows_the_parity_of_the_17th_digit(sequence_digit, gender):
    assert parse_resident_id(with_check("4401131995072300" + sequence_digit), today=TODAY).gender == gender


def test_birth_date_and_region_are_read_from_the_number():
    parsed = parse_resident_id(with_check("44011319950723001"), today=TODAY)
    assert (parsed.birth_date, parsed.region_code) == (date(1995, 7, 23), "440113")


# --- Other documents ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "id_type, raw, number",
    [
        (IdType.RESIDENT_ID, "440113 19950723 001" + resident_id_check_char("44011319950723001"),
         with_check("44011319950723001")),
        (IdType.PASSPORT, "e1234 5678", "E12345678"),
        (IdType.PASSPORT, "AB123", "AB123"),
        (IdType.PASSPORT, "12345678901234567", "12345678901234567"),
        (IdType.HK_MACAO_PERMIT, "h1234 5678", "H12345678"),
        (IdType.HK_MACAO_PERMIT, "M1234567890", "M1234567890"),
        (IdType.TAIWAN_PERMIT, "１２３４５６７８", "12345678"),
        (IdType.TAIWAN_PERMIT, "1234567890", "1234567890"),
        ("passport", "G1234567", "G1234567"),
    ],
)
def test_document_in_accepted_format_returns_normalised_number(id_type, raw, number):
    assert validate_document(id_type, raw, today=TODAY) == number


@pytest.mark.parametrize(
    "id_type, raw",
    [
        (IdType.PASSPORT, "E123"),
        (IdType.PASSPORT, "123456789012345678"),
        (IdType.PASSPORT, "E1234567!"),
        (IdType.HK_MACAO_PERMIT, "H123456789"),
        (IdType.HK_MACAO_PERMIT, "X12345678"),
        (IdType.HK_MACAO_PERMIT, "12345678"),
        (IdType.TAIWAN_PERMIT, "123456789"),
        (IdType.TAIWAN_PERMIT, "T12345678"),
    ],
)
def test_document_in_other_format_is_refused(id_type, raw):
    with pytest.raises(IdNumberError) as caught:
        validate_document(id_type, raw)
    assert caught.value.code == "format"


@pytest.mark.parametrize("id_type", list(IdType))
def test_blank_document_is_refused_as_empty(id_type):
    with pytest.raises(IdNumberError) as caught:
        validate_document(id_type, "  ")
    assert caught.value.code == "empty"


def test_resident_id_document_is_fully_checked():
    with pytest.raises(IdNumberError) as caught:
        validate_document(IdType.RESIDENT_ID, "110105900101123")
    assert caught.value.code == "legacy_15"


# --- Credit codes ---------------------------------------------------------------------------

def test_credit_code_is_normalised():
    code = "91310115MA1K3BTP2" + credit_code_check_char("91310115MA1K3BTP2")
    assert parse_credit_code(" " + code[:8].lower() + "－" + full_width(code[8:]) + "\u3000") == code


@pytest.mark.parametrize("raw, code", [("", "empty"), ("9131011", "length"), ("9131011" * 3, "length")])
def test_credit_code_of_wrong_length_is_refused(raw, code):
    assert credit_error(raw).code == code


@pytest.mark.parametrize("excluded", list("IOSVZ"))
def test_credit_code_with_excluded_letter_is_refused_naming_it(excluded):
    error = credit_error("9131011" + excluded + "MA1K3BTP2B")
    assert (error.code, error.params) == ("charset", {"char": excluded})


def test_credit_code_with_wrong_check_char_is_refused_naming_the_right_one():
    body = "91310115MA1K3BTP2"
    right = credit_code_check_char(body)
    wrong = "0" if right != "0" else "1"
    error = credit_error(body + wrong)
    assert (error.code, error.params) == ("checksum", {"expected": right})


def test_credit_code_may_start_with_a_letter():
    body = "A1310115MA1K3BTP2"
    assert parse_credit_code(body + credit_code_check_char(body)) == body + credit_code_check_char(body)


# --- Properties -----------------------------------------------------------------------------



@st.composite
def resident_ids(draw) -> str:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    body = (
        draw(st.sampled_from(sorted(PROVINCE_CODES)))
        + draw(st.text("0123456789", min_size=4, max_size=4))
        + born.strftime("%Y%m%d")
        + draw(st.text("0123456789", min_size=3, max_size=3))
    )
    return with_check(body)


@given(resident_ids())
def test_any_real_body_with_its_check_char_parses(number):
    parsed = parse_resident_id(number, today=TODAY)
    assert parsed.number == number
    assert parsed.birth_date.strftime("%Y%m%d") == number[6:14]
    assert parsed.gender == ("M" if int(number[16]) % 2 else "F")


@given(resident_ids(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_changing_one_character_of_a_resident_id_makes_it_invalid(number, position, char):
    assume(char != number[position])
    resident_error(number[:position] + char + number[position + 1 :])


credit_codes = st.text(CREDIT_CODE_CHARSET, min_size=17, max_size=17).map(
    lambda body: body + credit_code_check_char(body)
)


@given(credit_codes)
def test_any_credit_code_body_with_its_check_char_parses(code):
    assert parse_credit_code(code) == code


@given(credit_codes, st.integers(0, 17), st.sampled_from(CREDIT_CODE_CHARSET + "IOSVZ"))
def test_changing_one_character_of_a_credit_code_makes_it_invalid(code, position, char):
    assume(char != code[position])
    credit_error(code[:position] + char + code[position + 1 :])


@given(st.text(st.characters(blacklist_characters="*"), max_size=40))
def test_mask_keeps_the_length_and_hides_at_least_half(number):
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    shown = len(masked) - masked.count("*")
    assert shown <= 7
    assert shown <= len(number) / 2


@pytest.mark.parametrize(
    "number, masked",
    [
        ("110105199001011234", "110***********1234"),
        ("12345678901234", "123*******1234"),
        ("1234567890123", "12*********23"),
        ("E12345678", "E1*****78"),
        ("1234567", "1*****7"),
        ("12345", "1***5"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_shows_head_and_tail_by_length(number, masked):
    assert mask_id_number(number) == masked
