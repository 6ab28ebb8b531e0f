"""Forms of a judge's records: a certificate, available dates, a declared conflict (staff's
pages and the judge's own portal)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.orgs.forms.fields import UnitField


class QualificationForm(FlaskForm):
    number = StringField(_l("Certificate number"), validators=[DataRequired(), Length(max=64)])
    issuer = StringField(_l("Issued by"), validators=[DataRequired(), Length(max=200)])
    issued_on = DateField(_l("Date of issue"), validators=[DataRequired()])
    expires_on = DateField(_l("Valid until"), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class AvailabilityForm(FlaskForm):
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day"), validators=[DataRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add these dates"))


class ConflictForm(FlaskForm):
    """A unit by name or credit code, or a person by name and ID number, and the reason."""

    party = RadioField(_l("Conflict with"), choices=[("unit", _l("A unit")), ("person", _l("A person"))],
                       default="unit", validators=[DataRequired()])
    organisation_id = UnitField(_l("Unit"))
    person_name = StringField(_l("The person's name"), validators=[Optional(), Length(max=64)])
    person_id_number = StringField(_l("The person's resident ID number"), validators=[Optional(), Length(max=40)])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Declare the conflict"))
