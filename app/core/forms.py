"""Small helpers shared by the HTML forms of every feature."""
from __future__ import annotations

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


def show_error(form, error: DomainError) -> None:
    """Put a service's error under the form field it names, or flash it when it names none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [error.message]
    else:
        flash(error.message, "danger")


class ImportForm(FlaskForm):
    """One Excel file to check before importing it (units, judges, a unit's entries)."""

    file = FileField(_l("Excel file (.xlsx)"),
                     validators=[FileRequired(), FileAllowed(["xlsx"], _l("Please upload an .xlsx file."))])
    submit = SubmitField(_l("Check the file"))
