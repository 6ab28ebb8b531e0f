"""Turning the pure validators' error codes into messages people read, in their language."""
from __future__ import annotations

from flask_babel import gettext as _

from app.core import ids
from app.core.errors import InvalidInput


def id_number_message(error: ids.IdNumberError) -> str:
    messages = {
        "empty": _("Please enter the ID number."),
        "legacy_15": _("15-digit ID numbers are no longer valid; please enter the 18-digit number."),
        "length": _("A resident ID number has 18 characters."),
        "format": _("The ID number contains characters that are not allowed."),
        "region": _("The ID number does not start with a valid region code."),
        "birth_date": _("The birth date inside the ID number is not a real date."),
        "checksum": _("The ID number's check digit is wrong; please check it for typing errors."),
    }
    return messages.get(error.code, _("The ID number is not valid."))


def credit_code_message(error: ids.CreditCodeError) -> str:
    messages = {
        "empty": _("Please enter the unified social credit code."),
        "length": _("A unified social credit code has 18 characters."),
        "charset": _("The credit code contains a character that is not allowed (I, O, S, V and Z are never used)."),
        "checksum": _("The credit code's check character is wrong; please check it for typing errors."),
    }
    return messages.get(error.code, _("The unified social credit code is not valid."))


def check_id_document(id_type: ids.IdType, raw: str, field: str = "id_number") -> str:
    """The normalised document number; raises InvalidInput with the reason."""
    try:
        return ids.validate_document(id_type, raw)
    except ids.IdNumberError as error:
        raise InvalidInput(id_number_message(error), field=field) from None


def check_credit_code(raw: str, field: str = "credit_code") -> str:
    """The normalised credit code; raises InvalidInput with the reason."""
    try:
        return ids.parse_credit_code(raw)
    except ids.CreditCodeError as error:
        raise InvalidInput(credit_code_message(error), field=field) from None
