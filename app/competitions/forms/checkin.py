"""The door check-in form: one box for a scanned ticket code or a typed exam number."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length


class CheckInForm(FlaskForm):
    code = StringField(_l("Exam number or ticket code"),
                       validators=[DataRequired(message=_l("Scan an admission ticket or type an exam number.")),
                                   Length(max=512)])
    submit = SubmitField(_l("Check in"))
