"""Small helpers shared by the HTML forms of every feature."""
from __future__ import annotations

from typing import Callable

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import IntegerField, SubmitField
from wtforms.validators import Optional

from app.core.errors import DomainError


def optional_choice() -> Optional:
    """Optional() for a SelectField: only the empty choice means "none". Plain Optional()
    takes a value of spaces for empty too and clears the "not a valid choice" error, so the
    view would get " " as the chosen value."""
    return Optional(strip_whitespace=False)


class BoundedIntegerField(IntegerField):
    """WTForms' IntegerField, refusing numbers beyond any column (±2**63) as not valid.

    NumberRange compares with math.isnan(), which overflows on an integer of hundreds of
    digits: without this bound such input ends in a 500 instead of a field error.
    """

    LIMIT = 2**63 - 1

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > self.LIMIT:
            self.data = None
            raise ValueError(self.invalid_value_message or self.gettext("Not a valid integer value."))


_TYPED_FIELDS = {"IntegerField", "BoundedIntegerField", "DecimalField", "FloatField", "DateField", "DateTimeField",
                 "DateTimeLocalField", "TimeField"}


def validate_all(form, check: Callable[[], None]) -> bool:
    """Validate a submitted form in one pass: every field, then the service's cross-field
    rules (`check`, which raises DomainError and changes nothing) on whatever the fields hold,
    so the person sees every problem at once, each next to its field. True when the fields
    are valid: the service then runs the same rules itself and raises with its own status."""
    if not form.is_submitted():
        return False
    if form.validate():
        return True
    for field in form:
        # A number or date its field refused is missing to the check (it may not even compute);
        # the page still shows what was typed (these fields redisplay their raw input).
        if field.errors and field.type in _TYPED_FIELDS:
            field.data = None
    try:
        check()
    except DomainError as error:
        show_problems(form, getattr(error, "problems", None) or [(error.field, error.message)],
                      skip_fields_with_errors=True)
    return False


def show_error(form, error: DomainError) -> None:
    """Put each of a service's problems under the form field it names; flash those naming none."""
    show_problems(form, getattr(error, "problems", None) or [(error.field, error.message)])


def show_problems(form, problems: list[tuple[str | None, str]], *, skip_fields_with_errors: bool = False) -> None:
    """Put each (field, message) under its field, or flash it when it names no field of `form`.

    With `skip_fields_with_errors`, a field the form's own validators already refused keeps
    just their message (the service's check of the same field would repeat it)."""
    for name, message in problems:
        field = getattr(form, name, None) if name else None
        if field is not None and hasattr(field, "errors"):
            if skip_fields_with_errors and field.errors:
                continue
            if message not in field.errors:
                field.errors = list(field.errors) + [message]
        else:
            flash(message, "danger")


class ImportForm(FlaskForm):
    """One Excel file to check before importing it (units, judges, a unit's entries)."""

    file = FileField(_l("Excel file (.xlsx)"),
                     validators=[FileRequired(), FileAllowed(["xlsx"], _l("Please upload an .xlsx file."))])
    submit = SubmitField(_l("Check the file"))
