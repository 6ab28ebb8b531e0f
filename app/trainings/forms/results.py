"""Forms of assessments, closing and reopening a class, and a trainee's evaluation."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.trainings.models import AssessmentKind
from app.trainings.services.assessments import KIND_LABELS
from app.trainings.services.evaluations import MAX_COMMENT


class AssessmentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[(kind.value, label) for kind, label in KIND_LABELS.items()],
                       validators=[DataRequired()])
    max_mark = DecimalField(_l("Full mark"), default=100, validators=[InputRequired()])
    pass_mark = DecimalField(_l("Pass mark"), default=60, validators=[InputRequired()])
    weight = DecimalField(_l("Weight in the result"), default=1, validators=[InputRequired()])
    submit = SubmitField(_l("Save"))

    def kind_value(self) -> AssessmentKind | None:
        try:
            return AssessmentKind(self.kind.data)
        except ValueError:
            return None


class ReopenForm(FlaskForm):
    reason = TextAreaField(_l("Why is the class reopened?"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Reopen the class"))


class EvaluationForm(FlaskForm):
    rating = RadioField(_l("How was the class? (1 poor – 5 excellent)"), coerce=int,
                        choices=[(n, str(n)) for n in range(1, 6)], validators=[InputRequired()])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=MAX_COMMENT)])
    submit = SubmitField(_l("Send my evaluation"))


class ButtonForm(FlaskForm):
    """A form of one button (the CSRF token only)."""
