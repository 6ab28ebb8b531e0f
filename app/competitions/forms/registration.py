"""Contestant forms: entering an event (with its extra questions) and withdrawing."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import Length, Optional

from app.competitions.forms.setup import clean_text
from app.competitions.models import Event
from app.competitions.services.registration import answer_field


class RegisterForm(FlaskForm):
    """The confirm button; `register_form_for` adds one text input per extra question."""

    questions: list[tuple[str, str]] = []   # (field name, question label)
    submit = SubmitField(_l("Register"))

    def answers(self) -> dict[str, str]:
        """The answers by question label, as the registration service takes them."""
        return {label: (self[name].data or "").strip() for name, label in self.questions}


def register_form_for(event: Event) -> RegisterForm:
    """A RegisterForm with the event's extra questions (answers are checked by the service)."""
    questions = [(answer_field(index), label) for index, label in enumerate(event.required_fields or ())]

    class EventRegisterForm(RegisterForm):
        pass

    for name, label in questions:
        setattr(EventRegisterForm, name, StringField(label, filters=[clean_text],
                                                     validators=[Optional(), Length(max=500)]))
    EventRegisterForm.questions = questions
    return EventRegisterForm()


class WithdrawForm(FlaskForm):
    submit = SubmitField(_l("Withdraw"))
