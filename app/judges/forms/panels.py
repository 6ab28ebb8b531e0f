"""Forms of the panels: setting one up, its draw, seating and removing judges, the judge's
answer to an invitation, and the load dashboard's period."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.forms import BoundedIntegerField, optional_choice
from app.judges.forms.pool import row_id
from app.judges.models import CompatriotRule, PanelRole
from app.judges.services.panels import LIMITS, MAX_CAP, MAX_NAME, PanelFields
from app.judges.services.seats import MAX_REASON


def compatriot_choices():
    return [(CompatriotRule.EXCLUDE.value, _l("Leave them out of the draw")),
            (CompatriotRule.WITHHOLD.value, _l("Let them sit; their own unit's contestants are withheld from their "
                                               "sheets"))]


def role_choices():
    return [(PanelRole.JUDGE.value, _l("Judge")), (PanelRole.CHIEF.value, _l("Chief judge")),
            (PanelRole.RECORDER.value, _l("Recorder")), (PanelRole.RESERVE.value, _l("Reserve"))]


class PanelForm(FlaskForm):
    """A panel and the rules of its draw; the lists are filled in by the view."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME)])
    stage_id = SelectField(_l("Stage"), coerce=row_id, validators=[optional_choice()])
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day"), validators=[DataRequired()])
    speciality_id = SelectField(_l("Trade"), coerce=row_id, validators=[DataRequired()])
    min_level_id = SelectField(_l("Lowest level"), coerce=row_id, validators=[optional_choice()])
    chiefs = BoundedIntegerField(_l("Chief judges"), default=1,
                                 validators=[Optional(), NumberRange(min=0, max=LIMITS["chiefs"])])
    judges = BoundedIntegerField(_l("Judges"), default=4,
                                 validators=[Optional(), NumberRange(min=0, max=LIMITS["judges"])])
    reserves = BoundedIntegerField(_l("Reserves"), default=2,
                                   validators=[Optional(), NumberRange(min=0, max=LIMITS["reserves"])])
    max_per_unit = BoundedIntegerField(_l("At most this many from one unit"),
                                       validators=[Optional(), NumberRange(min=1, max=MAX_CAP)])
    max_per_region = BoundedIntegerField(_l("At most this many from one region"),
                                         validators=[Optional(), NumberRange(min=1, max=MAX_CAP)])
    compatriot_rule = RadioField(_l("Judges from a contestant's unit"), choices=compatriot_choices,
                                 default=CompatriotRule.EXCLUDE.value, validators=[DataRequired()])
    submit = SubmitField(_l("Save the panel"))

    def fields(self) -> PanelFields:
        """What the form says; also read from a refused form (validate_all's check), where a
        value the form refused is left out (None) rather than guessed."""
        def seats(field) -> int | None:
            return None if field.errors else field.data or 0

        rule = self.compatriot_rule.data
        return PanelFields(name=self.name.data, starts_on=self.starts_on.data, ends_on=self.ends_on.data,
                           speciality_id=self.speciality_id.data, min_level_id=self.min_level_id.data,
                           chiefs=seats(self.chiefs), judges=seats(self.judges), reserves=seats(self.reserves),
                           max_per_unit=self.max_per_unit.data, max_per_region=self.max_per_region.data,
                           compatriot_rule=CompatriotRule(rule) if rule and not self.compatriot_rule.errors else None,
                           stage_id=self.stage_id.data)


class DrawForm(FlaskForm):
    seed_source = RadioField(_l("Seed"), choices=[
        ("secure", _l("Let the system draw a secure random seed now")),
        ("witnessed", _l("Type a seed agreed in front of witnesses"))], default="secure", validators=[DataRequired()])
    seed = StringField(_l("Seed typed in front of witnesses"), validators=[Optional(), Length(max=200)])
    witnesses = TextAreaField(_l("Witnesses present"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Draw now"))


class AssignForm(FlaskForm):
    profile_id = SelectField(_l("Judge"), coerce=row_id, validators=[DataRequired()])
    role = SelectField(_l("Role"), choices=role_choices, default=PanelRole.JUDGE.value, validators=[DataRequired()])
    submit = SubmitField(_l("Assign"))


class RemoveForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=MAX_REASON)])
    submit = SubmitField(_l("Take off the panel"))


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), Length(max=MAX_REASON)])
    submit = SubmitField(_l("Decline"))


class PeriodForm(FlaskForm):
    """The load dashboard's period, from the query string; junk falls back to the default."""

    class Meta:
        csrf = False

    first = DateField(_l("From"), validators=[Optional()])
    last = DateField(_l("To"), validators=[Optional()])

    def period(self, default_first: date, default_last: date) -> tuple[date, date]:
        first = self.first.data if self.first.data and not self.first.errors else default_first
        last = self.last.data if self.last.data and not self.last.errors else default_last
        return (first, last) if first <= last else (last, first)
