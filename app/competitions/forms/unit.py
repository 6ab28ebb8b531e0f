"""Liaison forms of the unit portal: endorsing, rejecting, entering one person, confirming a file."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.competitions.forms.staff import RowIdField
from app.competitions.models import Event
from app.competitions.services.registration import answer_field


class EndorseForm(FlaskForm):
    registration_id = RowIdField(validators=[InputRequired()])
    submit = SubmitField(_l("Endorse"))


class RejectEntryForm(FlaskForm):
    registration_id = RowIdField(validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Reject"))


class ConfirmFileForm(FlaskForm):
    """The confirmation of a previewed file: the token it waits under (and, for staff, the unit)."""

    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    organisation_id = HiddenField(validators=[Optional(), Length(max=12)])
    submit = SubmitField(_l("Register these people"))


class UnitRegisterForm(FlaskForm):
    """A liaison enters one of the unit's people; `unit_register_form_for` adds the questions."""

    person_id = SelectField(_l("Person"), coerce=int, validators=[InputRequired()])
    submit = SubmitField(_l("Register"))
    questions: list[tuple[str, str]] = []

    def answers(self) -> dict[str, str]:
        """The answers by question label, as the registration service takes them."""
        return {label: (self[name].data or "").strip() for name, label in self.questions}


def unit_register_form_for(event: Event, people: list[tuple[int, str]]) -> UnitRegisterForm:
    """A UnitRegisterForm offering `people` (id, label), with the event's extra questions."""
    questions = [(answer_field(index), label) for index, label in enumerate(event.required_fields or ())]

    class EventUnitRegisterForm(UnitRegisterForm):
        pass

    for name, label in questions:
        setattr(EventUnitRegisterForm, name, StringField(label, validators=[Optional(), Length(max=500)]))
    EventUnitRegisterForm.questions = questions
    form = EventUnitRegisterForm()
    form.person_id.choices = people
    return form
