"""The forms of the class pages: the plan, a unit quota, an organiser, a copy, enrolling,
withdrawing, the year's target.

Times are typed in the association's time zone and come out of the form as aware datetimes
in that zone; the routes turn them into UTC.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, DateTimeLocalField, DecimalField, SelectField, SelectMultipleField,
                     StringField, SubmitField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.core.forms import BoundedIntegerField as IntegerField, optional_choice
from app.core.time import association_zone
from app.orgs.forms.fields import UnitField
from app.trainings.models import ClassCategory, ClassFormat

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(value):
    return _CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def _within_years(first: int = 2000, last: int = 2100):
    def check(form, field):
        if field.data is not None and not first <= field.data.year <= last:
            raise ValidationError(str(_l("Please enter a date between %(first)d and %(last)d.", first=first,
                                         last=last)))
    return check


class TextForm(FlaskForm):
    """A form whose text inputs all pass through `_clean` (PostgreSQL cannot store NUL)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, StringField):
                options["filters"] = [*unbound_field.kwargs.get("filters", ()), _clean]
            return unbound_field.bind(form=form, **options)


def category_choices():
    from app.trainings.services.programme import category_label
    return [("", _l("Choose…"))] + [(item.value, category_label(item)) for item in ClassCategory]


def format_choices():
    from app.trainings.services.programme import format_label
    return [(item.value, format_label(item)) for item in ClassFormat]


def skill_rule_choices():
    return [("", _l("No requirement")),
            ("5", _l("Level 5 (junior worker) or higher")),
            ("4", _l("Level 4 (intermediate worker) or higher")),
            ("3", _l("Level 3 (senior worker) or higher")),
            ("2", _l("Level 2 (technician) or higher")),
            ("1", _l("Level 1 (senior technician)"))]


class ClassForm(TextForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    category = SelectField(_l("Category"), choices=category_choices, validators=[DataRequired()])
    year = IntegerField(_l("Programme year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    # Choices: the committees the user may plan for ("" = the association itself).
    committee_id = SelectField(_l("Organising committee"), coerce=str, validate_choice=True)
    commissioning_unit_id = UnitField(_l("Commissioned by (member unit)"))
    only_commissioning_unit = BooleanField(_l("Only for the commissioning unit's people"))
    target_trainees = TextAreaField(_l("Who it is for"), validators=[Optional(), Length(max=2000)])
    objectives = TextAreaField(_l("Objectives"), validators=[Optional(), Length(max=5000)])
    format = SelectField(_l("Format"), choices=format_choices, validators=[DataRequired()])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    starts_on = DateField(_l("First day"), validators=[InputRequired(), _within_years()])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(), _within_years()])
    capacity = IntegerField(_l("Places"), validators=[InputRequired(), NumberRange(min=1, max=10000)])
    opens_at = DateTimeLocalField(_l("Enrolment opens"), format=LOCAL_FORMATS, tz=association_zone,
                                  validators=[InputRequired(), _within_years()])
    closes_at = DateTimeLocalField(_l("Enrolment closes"), format=LOCAL_FORMATS, tz=association_zone,
                                   validators=[InputRequired(), _within_years()])
    min_age = IntegerField(_l("Minimum age"), validators=[Optional(), NumberRange(min=0, max=120)])
    max_age = IntegerField(_l("Maximum age"), validators=[Optional(), NumberRange(min=0, max=120)])
    age_reference_date = DateField(_l("Age counted on"), validators=[Optional(), _within_years(1900)])
    min_skill_level = SelectField(_l("Skill level required"), choices=skill_rule_choices,
                                  validators=[optional_choice()])
    requires_member_unit = BooleanField(_l("Trainees must belong to a member unit"))
    min_attendance_percent = IntegerField(_l("Attendance needed (percent of the hours)"), default=80,
                                          validators=[InputRequired(), NumberRange(min=0, max=100)])
    pass_mark = DecimalField(_l("Assessment pass mark"), default=60, places=2,
                             validators=[InputRequired(), NumberRange(min=0, max=1000)])
    is_referee_training = BooleanField(_l("Referee training: completion grants a judge qualification"))
    grants_level_id = SelectField(_l("Judge level granted"), coerce=str, validators=[optional_choice()])
    grants_trade_ids = SelectMultipleField(_l("Trades the qualification covers"), coerce=str,
                                           validators=[Optional()])
    grants_validity_years = IntegerField(_l("Qualification valid for (years)"),
                                         validators=[Optional(), NumberRange(min=1, max=20)])
    submit = SubmitField(_l("Save"))


class QuotaForm(FlaskForm):
    """Set a unit's quota; an empty number removes it."""

    organisation_id = UnitField(_l("Member unit"), required=True)
    quota = IntegerField(_l("Trainees allowed"), validators=[Optional(), NumberRange(min=0, max=10000)])
    submit = SubmitField(_l("Set the quota"))


class OrganiserForm(TextForm):
    username = StringField(_l("User name of the organiser"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Add the organiser"))


class CopyForm(FlaskForm):
    year = IntegerField(_l("Into the year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    submit = SubmitField(_l("Copy as a new draft"))


class EnrolPersonForm(TextForm):
    """Enrol one person, found by their ID number (organisers) or chosen from the unit's people."""

    id_number = StringField(_l("ID number"), validators=[DataRequired(), Length(max=40)])
    submit = SubmitField(_l("Enrol"))


class UnitEnrolForm(FlaskForm):
    person_id = SelectField(_l("Person"), coerce=str, validators=[DataRequired()])
    submit = SubmitField(_l("Enrol"))


class WithdrawForm(TextForm):
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Withdraw"))


class ActionForm(FlaskForm):
    """A button with nothing to fill in (publish, start, enrol myself)."""

    submit = SubmitField(_l("Go"))


class TargetForm(FlaskForm):
    target_trainees = IntegerField(_l("Trainees this year (target)"),
                                   validators=[InputRequired(), NumberRange(min=0, max=1000000)])
    submit = SubmitField(_l("Set the target"))
