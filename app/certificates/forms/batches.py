"""The form of a new batch: what to issue from (a published result, for awards or
participation, or a closed class) and the template."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField

from app.core.forms import optional_choice


class BatchForm(FlaskForm):
    origin = SelectField(_l("Issue from"), coerce=str, validators=[optional_choice()])
    template_id = SelectField(_l("Template"), coerce=str, validators=[optional_choice()])
    submit = SubmitField(_l("Issue the batch"))


def parse_origin(value: str | None) -> tuple[str | None, int | None]:
    """"results:12" → ("results", 12); anything else → the name (or None) and None."""
    name, _, ref = (value or "").partition(":")
    return (name or None), (int(ref) if ref.isascii() and ref.isdigit() and len(ref) <= 10 else None)
