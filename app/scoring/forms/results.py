"""Forms of the results pages: publish (with a reason from v2 on), schedule a publication,
cancel it, advance the best to the next stage's event."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.competitions.forms.setup import LOCAL_FORMATS, within_years
from app.core.forms import BoundedIntegerField
from app.core.time import association_zone
from app.scoring.forms.schemes import DecimalText
from app.scoring.services.publication import MAX_REASON


class PublishForm(FlaskForm):
    reason = TextAreaField(_l("Reason (needed when results were published before)"),
                           validators=[Optional(), Length(max=MAX_REASON)])
    submit = SubmitField(_l("Publish"))


class ScheduleForm(FlaskForm):
    due_at = DateTimeLocalField(_l("Publish at"), format=LOCAL_FORMATS, tz=association_zone,
                                validators=[InputRequired(), within_years()])
    reason = TextAreaField(_l("Reason (needed when results were published before)"),
                           validators=[Optional(), Length(max=MAX_REASON)])
    submit = SubmitField(_l("Schedule"))


class CancelForm(FlaskForm):
    submit = SubmitField(_l("Cancel the scheduled publication"))


def _row_choice(value):
    return int(value) if value not in (None, "") and str(value).isdigit() and len(str(value)) < 10 else None


class AdvanceForm(FlaskForm):
    target_event_id = SelectField(_l("Next stage (event)"), coerce=_row_choice, validators=[InputRequired()])
    top = BoundedIntegerField(_l("The best N"), validators=[Optional(), NumberRange(min=1, max=100000)])
    share = DecimalText(_l("Or the best share (percent)"))
    submit = SubmitField(_l("Advance"))

    def validate_share(self, field):
        if field.data is not None and not 0 < field.data <= 100:
            raise ValidationError(str(_l("The share that advance is above 0 and at most 100 percent.")))
        if (field.data is None) == (self.top.data is None) and not self.top.errors:
            raise ValidationError(str(_l("Give either the number of contestants or the share that advance.")))
