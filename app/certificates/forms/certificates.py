"""Forms of issuing (by hand, from the judge pool), correcting, revoking and verifying."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.certificates.labels import KIND_LABELS
from app.core.forms import BoundedIntegerField, optional_choice

FACTS_HELP = _l("One fact a line, “label: value”, e.g. 奖项 / Award: 一等奖")


def parse_facts(text: str | None) -> list[tuple[str, str]]:
    """Lines "label: value" (a full-width colon too) as pairs; a line without one is ("", line),
    which the service refuses with the rule."""
    facts = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        label, colon, value = line.replace("：", ":", 1).partition(":")
        facts.append((label.strip(), value.strip()) if colon else ("", line))
    return facts


def facts_text(facts) -> str:
    return "\n".join(f"{label}: {value}" for label, value in facts)


class IssueForm(FlaskForm):
    holder_name = StringField(_l("Holder's name"), validators=[DataRequired(), Length(max=64)])
    holder_id_number = StringField(_l("Holder's resident ID number"), validators=[DataRequired(), Length(max=40)])
    kind = SelectField(_l("Kind"), choices=[(kind.value, label) for kind, label in KIND_LABELS.items()],
                       validators=[DataRequired()])
    template_id = SelectField(_l("Template"), coerce=str, validators=[optional_choice()])
    subject = StringField(_l("What is certified"), validators=[DataRequired(), Length(max=300)])
    facts = TextAreaField(_l("Facts printed"), validators=[Length(max=3000)])
    submit = SubmitField(_l("Issue the certificate"))


class JudgeIssueForm(FlaskForm):
    template_id = SelectField(_l("Template"), coerce=str, validators=[optional_choice()])
    submit = SubmitField(_l("Issue"))


class CorrectForm(FlaskForm):
    template_id = SelectField(_l("Template"), coerce=str, validators=[optional_choice()])
    subject = StringField(_l("What is certified"), validators=[DataRequired(), Length(max=300)])
    facts = TextAreaField(_l("Facts printed"), validators=[Length(max=3000)])
    reason = TextAreaField(_l("Reason for the correction"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Re-issue corrected"))


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Revoke the certificate"))


class LookupForm(FlaskForm):
    serial = StringField(_l("Serial number"), validators=[DataRequired(), Length(max=64)])
    holder_name = StringField(_l("Holder's full name"), validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Verify"))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Serial or name"), validators=[Length(max=64)])
    page = BoundedIntegerField()
