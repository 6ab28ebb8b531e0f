"""Identity document numbers and unified social credit codes, checked without a database.

Pure functions of plain strings: no Flask, no translations, no I/O. Errors carry a
`code` (and `params`) that the form or service layer turns into a translated message.

Resident ID (居民身份证, GB 11643-1999) — `IdNumberError.code`, checked in this order:
    "empty"       nothing left after normalising
    "legacy_15"   a 15-digit number of the 1989 standard: refused, people must give the 18-digit one
    "length"      not 18 characters
    "format"      anything but 17 digits and a final digit or X
    "region"      first two digits are not a province-level code
    "birth_date"  digits 7-14 are not a real date, or before 1900-01-01, or after today
    "checksum"    wrong check character; params: expected (the right one)
Other documents (passport, permits) — `IdNumberError.code`: "empty", "format".
Unified social credit code (统一社会信用代码, GB 32100-2015) — `CreditCodeError.code`:
    "empty", "length" (not 18), "charset" (params: char, the first one not allowed),
    "checksum" (params: expected).

Error messages never contain the number itself, so an error is safe to log.
"""
from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone


class _CodedError(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


class IdNumberError(_CodedError):
    """An identity document number was refused; `code` says why (see module docstring)."""


class CreditCodeError(_CodedError):
    """A unified social credit code was refused; `code` says why (see module docstring)."""


# Whitespace (str.isspace covers U+3000 and no-break spaces), invisible characters that
# come along when a number is pasted from a web page or Word, and hyphen-like separators.
_NOISE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff\-\u2010-\u2015\u2212]")


def normalise(raw: str) -> str:
    """`raw` as a bare upper-case ASCII number: full-width characters folded (NFKC),
    every whitespace and hyphen removed. Used for every kind of ID and for credit codes."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", raw)).upper()


# --- Resident ID (居民身份证) -------------------------------------------------------------

# GB/T 2260 province-level codes. 71 is Taiwan; 81, 82 and 83 also start the 18-digit
# numbers of residence permits for Hong Kong, Macao and Taiwan residents (港澳台居民居住证).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
# Nobody born earlier can hold an 18-digit number in practice; an earlier date is a typo.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
# "Today" is China's date: a server on UTC would otherwise refuse someone born this
# morning. China has kept UTC+8 without daylight saving since 1991.
_CHINA = timezone(timedelta(hours=8))

_RESIDENT_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]  # 7, 9, 10, 5, 8 …
_RESIDENT_CHECK = "10X98765432"  # indexed by weighted sum mod 11
_RESIDENT_FORMAT = re.compile(r"[0-9]{17}[0-9X]")


def resident_id_check_char(body17: str) -> str:
    """The check character (0-9 or X) for the first 17 digits of a resident ID
    (GB 11643-1999, ISO 7064 MOD 11-2). Raises ValueError if `body17` is not 17 digits."""
    if not re.fullmatch(r"[0-9]{17}", body17):
        raise ValueError("body17 must be 17 ASCII digits")
    total = sum(int(digit) * weight for digit, weight in zip(body17, _RESIDENT_WEIGHTS))
    return _RESIDENT_CHECK[total % 11]


@dataclass(frozen=True)
class ResidentId:
    """A checked resident ID number and what it says about its holder."""

    number: str
    birth_date: date
    gender: str  # "M" or "F"
    region_code: str  # the six-digit address code (行政区划代码) at first registration


def parse_resident_id(raw: str, *, today: date | None = None) -> ResidentId:
    """Normalise and check an 18-digit resident ID; derive birth date and gender.

    `today` defaults to the current date in China. Raises IdNumberError."""
    number = normalise(raw)
    if not number:
        raise IdNumberError("empty")
    if re.fullmatch(r"[0-9]{15}", number):
        raise IdNumberError("legacy_15")
    if len(number) != 18:
        raise IdNumberError("length")
    if not _RESIDENT_FORMAT.fullmatch(number):
        raise IdNumberError("format")
    if number[:2] not in PROVINCE_CODES:
        raise IdNumberError("region")
    birth_date = _birth_date(number[6:14], today or datetime.now(_CHINA).date())
    expected = resident_id_check_char(number[:17])
    if number[17] != expected:
        raise IdNumberError("checksum", expected=expected)
    gender = "M" if int(number[16]) % 2 else "F"
    return ResidentId(number=number, birth_date=birth_date, gender=gender, region_code=number[:6])


def _birth_date(yyyymmdd: str, today: date) -> date:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        raise IdNumberError("birth_date") from None
    if not is_plausible_birth_date(born, today=today):
        raise IdNumberError("birth_date")
    return born


def is_plausible_birth_date(born: date, *, today: date | None = None) -> bool:
    """True from EARLIEST_BIRTH_DATE to `today` (by default today in China): the one rule
    for every birth date, typed or read from an ID number."""
    return EARLIEST_BIRTH_DATE <= born <= (today or datetime.now(_CHINA).date())


# --- Every identity document we accept ----------------------------------------------------

class IdType(str, enum.Enum):
    """The kinds of identity document a person may register with."""

    RESIDENT_ID = "resident_id"  # 居民身份证
    PASSPORT = "passport"  # 护照
    HK_MACAO_PERMIT = "hk_macao_permit"  # 港澳居民来往内地通行证
    TAIWAN_PERMIT = "taiwan_permit"  # 台湾居民来往大陆通行证


# Shape only: these documents carry no check character we could verify.
_DOCUMENT_FORMATS = {
    IdType.PASSPORT: re.compile(r"[A-Z0-9]{5,17}"),
    IdType.HK_MACAO_PERMIT: re.compile(r"[HM][0-9]{8}(?:[0-9]{2})?"),
    IdType.TAIWAN_PERMIT: re.compile(r"[0-9]{8}(?:[0-9]{2})?"),
}


def validate_document(id_type: IdType, raw: str, *, today: date | None = None) -> str:
    """The normalised number of a document of type `id_type`. Raises IdNumberError.

    Accepted, after `normalise`:
      resident ID        18 characters checked by `parse_resident_id`
      passport           5 to 17 letters or digits (issuing countries differ too much for more)
      HK/Macao permit    H (Hong Kong) or M (Macao), then 8 or 10 digits
      Taiwan permit      8 or 10 digits
    """
    id_type = IdType(id_type)  # a stored "passport" works as well as IdType.PASSPORT
    if id_type is IdType.RESIDENT_ID:
        return parse_resident_id(raw, today=today).number
    number = normalise(raw)
    if not number:
        raise IdNumberError("empty")
    if not _DOCUMENT_FORMATS[id_type].fullmatch(number):
        raise IdNumberError("format")
    return number


# --- Unified social credit code (统一社会信用代码) --------------------------------------------

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_CREDIT_VALUES = {char: value for value, char in enumerate(CREDIT_CODE_CHARSET)}
_CREDIT_WEIGHTS = [3**i % 31 for i in range(17)]  # 1, 3, 9, 27, 19 …


def credit_code_check_char(body17: str) -> str:
    """The check character for the first 17 characters of a unified social credit code
    (GB 32100-2015, mod 31). Raises ValueError if `body17` is not 17 characters of the charset."""
    if len(body17) != 17 or not set(body17) <= _CREDIT_VALUES.keys():
        raise ValueError("body17 must be 17 characters of CREDIT_CODE_CHARSET")
    total = sum(_CREDIT_VALUES[char] * weight for char, weight in zip(body17, _CREDIT_WEIGHTS))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def parse_credit_code(raw: str) -> str:
    """The normalised 18-character unified social credit code. Raises CreditCodeError.

    Only the code's own check character is verified. Characters 9-17 also embed an
    organisation code (GB 11714) with its own check digit, but our test vectors call that
    rule unverified against the standard's text, and none of their refused codes depends on
    it (each fails its length, charset or mod-31 check first). Enforcing a rule we cannot
    confirm could only refuse genuine codes. The first character (registration authority)
    is not restricted either: GB 32100 allows letters there.
    """
    code = normalise(raw)
    if not code:
        raise CreditCodeError("empty")
    if len(code) != 18:
        raise CreditCodeError("length")
    for char in code:
        if char not in _CREDIT_VALUES:
            raise CreditCodeError("charset", char=char)
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise CreditCodeError("checksum", expected=expected)
    return code


# --- Showing numbers to people ------------------------------------------------------------

def mask_id_number(number: str) -> str:
    """`number` with most characters replaced by `*`, keeping its length. The one rule:

      14 characters or more   first 3 and last 4 shown  (110105199001011234 -> 110***********1234)
      8 to 13 characters      first 2 and last 2 shown  (E12345678 -> E1*****78)
      5 to 7 characters       first 1 and last 1 shown  (12345 -> 1***5)
      4 characters or fewer   all hidden
    So at least half of every number is hidden, and a short one never shows most of itself.
    """
    if len(number) >= 14:
        shown_head, shown_tail = 3, 4
    elif len(number) >= 8:
        shown_head, shown_tail = 2, 2
    elif len(number) >= 5:
        shown_head, shown_tail = 1, 1
    else:
        return "*" * len(number)
    hidden = len(number) - shown_head - shown_tail
    return number[:shown_head] + "*" * hidden + number[-shown_tail:]
