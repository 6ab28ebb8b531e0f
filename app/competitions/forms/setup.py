"""Staff forms for setting up competitions, events and unit quotas.

Times are typed in the association's time zone (JIYI_TIMEZONE, Asia/Shanghai) and come
out of the form as aware datetimes in that zone; the routes turn them into UTC.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, DateTimeLocalField, SelectField, StringField, SubmitField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.competitions.models import CompetitionLevel
from app.core.forms import BoundedIntegerField as IntegerField  # NumberRange overflows on huge numbers
from app.core.time import association_zone
from app.orgs.forms.fields import UnitField

# The first format is what <input type="datetime-local"> accepts as its value.
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value):
    """Typed text without control characters (PostgreSQL cannot store NUL; none belongs in a name)."""
    return _CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


class TextForm(FlaskForm):
    """A form whose text inputs all pass through `clean_text`."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, StringField):  # TextAreaField too
                options["filters"] = [*unbound_field.kwargs.get("filters", ()), clean_text]
            return unbound_field.bind(form=form, **options)


def within_years(first: int = 2000, last: int = 2100):
    """A date or time in a sensible span (year 1 would not even convert to UTC)."""
    def check(form, field):
        if field.data is not None and not first <= field.data.year <= last:
            raise ValidationError(str(_l("Please enter a date between %(first)d and %(last)d.", first=first, last=last)))
    return check


def level_choices():
    return [(CompetitionLevel.NATIONAL.value, _l("National")),
            (CompetitionLevel.INDUSTRY.value, _l("Industry")),
            (CompetitionLevel.PROVINCIAL.value, _l("Provincial"))]


def skill_rule_choices():
    return [("", _l("No requirement")),
            ("5", _l("Level 5 (junior worker) or higher")),
            ("4", _l("Level 4 (intermediate worker) or higher")),
            ("3", _l("Level 3 (senior worker) or higher")),
            ("2", _l("Level 2 (technician) or higher")),
            ("1", _l("Level 1 (senior technician)"))]


class CompetitionForm(TextForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    level = SelectField(_l("Level"), choices=level_choices, validators=[DataRequired()])
    # Choices are the committees the user may organise for ("" = the association itself).
    committee_id = SelectField(_l("Organising committee"), coerce=str)
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    is_public = BooleanField(_l("Published on the public pages"))
    max_events_per_person = IntegerField(_l("Events one person may enter at most"),
                                         validators=[Optional(), NumberRange(min=1, max=100)])
    submit = SubmitField(_l("Save"))


class EventForm(TextForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=16)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    is_team = BooleanField(_l("Team event"))
    team_size_min = IntegerField(_l("Contestants per team, at least"), default=1,
                                 validators=[Optional(), NumberRange(min=1, max=20)])
    team_size_max = IntegerField(_l("Contestants per team, at most"), default=1,
                                 validators=[Optional(), NumberRange(min=1, max=20)])
    capacity = IntegerField(_l("Capacity"), validators=[InputRequired(), NumberRange(min=1, max=100000)])
    opens_at = DateTimeLocalField(_l("Registration opens"), format=LOCAL_FORMATS, tz=association_zone,
                                  validators=[InputRequired(), within_years()])
    closes_at = DateTimeLocalField(_l("Registration closes"), format=LOCAL_FORMATS, tz=association_zone,
                                   validators=[InputRequired(), within_years()])
    exam_number_pattern = StringField(_l("Exam number pattern"), default="{year}{event_code}{seq:04}",
                                      validators=[DataRequired(), Length(max=64)])
    min_age = IntegerField(_l("Minimum age"), validators=[Optional(), NumberRange(min=0, max=120)])
    max_age = IntegerField(_l("Maximum age"), validators=[Optional(), NumberRange(min=0, max=120)])
    age_reference_date = DateField(_l("Age counted on"), validators=[Optional(), within_years(1900)])
    min_skill_level = SelectField(_l("Skill level required"), choices=skill_rule_choices, validators=[Optional()])
    requires_member_unit = BooleanField(_l("Entrants must belong to a member unit"))
    required_fields = TextAreaField(_l("Extra questions, one per line"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save"))

    def question_labels(self) -> list[str]:
        return [line.strip() for line in (self.required_fields.data or "").splitlines() if line.strip()]


class QuotaForm(FlaskForm):
    """Set a unit's quota; an empty number removes it."""

    organisation_id = UnitField(_l("Member unit"), required=True)
    quota = IntegerField(_l("Entries allowed"), validators=[Optional(), NumberRange(min=0, max=100000)])
    submit = SubmitField(_l("Set the quota"))
