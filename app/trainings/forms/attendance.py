"""Forms of the attendance pages: marking a trainee present by hand, taking it back."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from app.trainings.forms.curriculum import row_id
from app.trainings.services.checkin import MAX_REASON


class MarkForm(FlaskForm):
    person_id = SelectField(_l("Trainee"), coerce=row_id, validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[InputRequired(), Length(max=MAX_REASON)])
    submit = SubmitField(_l("Mark present"))


class UnmarkForm(FlaskForm):
    person_id = SelectField(_l("Trainee"), coerce=row_id, validators=[InputRequired()], validate_choice=False)
    reason = StringField(_l("Reason"), validators=[InputRequired(), Length(max=MAX_REASON)])
    submit = SubmitField(_l("Take back"))
