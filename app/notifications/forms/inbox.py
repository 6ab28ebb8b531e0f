"""The preferences form (one e-mail switch per kind) and the button-only form."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

from app.notifications.services.preferences import Choice


class ActionForm(FlaskForm):
    """Only the CSRF token: a button that marks read or sends again."""


def preferences_form(choices: list[Choice], formdata=None) -> FlaskForm:
    """A form with one "also by e-mail" box per declared kind, ticked as the person chose.

    Built per request: the kinds are what the loaded packages declared. A box that is not
    sent is off (HTML sends only ticked boxes), so the form always covers every kind.
    """
    class PreferencesForm(FlaskForm):
        pass

    for choice in choices:
        setattr(PreferencesForm, field_name(choice.kind), BooleanField(choice.label, default=choice.wants_email))
    PreferencesForm.submit = SubmitField()
    return PreferencesForm(formdata=formdata) if formdata is not None else PreferencesForm()


def field_name(kind: str) -> str:
    """A form field's name for a kind ("session.reminder" → "email__session__reminder")."""
    return "email__" + kind.replace(".", "__")
