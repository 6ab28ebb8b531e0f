"""Forms of the pages after the lock: asking for a correction, refusing one, asking a third
marker. The service checks the rest (the mark is the asker's and locked, the value on the
aspect's scale) in the same pass, so every problem shows at once."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length

from app.scoring.forms.schemes import DecimalText


class CorrectionForm(FlaskForm):
    mark_id = SelectField(_l("Mark"), coerce=int, validate_choice=False)
    value = DecimalText(_l("New mark"))
    reason = TextAreaField(_l("Why it should change"), validators=[Length(max=500)])


class RefusalForm(FlaskForm):
    reason = TextAreaField(_l("Why it is refused"), validators=[Length(max=500)])


class ThirdMarkerForm(FlaskForm):
    sheet_id = SelectField(_l("Third marker"), coerce=int, validate_choice=False)
