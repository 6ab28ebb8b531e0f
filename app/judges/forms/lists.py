"""Forms of the pool's two lists: judge levels and trades."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.forms import BoundedIntegerField
from app.judges.services.levels import MAX_RANK


class LevelForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=100)])
    rank = BoundedIntegerField(_l("Rank (higher is more senior)"),
                               validators=[DataRequired(), NumberRange(min=0, max=MAX_RANK)])
    submit = SubmitField(_l("Add the level"))


class LevelEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=100)])
    rank = BoundedIntegerField(_l("Rank (higher is more senior)"),
                               validators=[DataRequired(), NumberRange(min=0, max=MAX_RANK)])
    submit = SubmitField(_l("Save"))


class SpecialityForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("Add the trade"))


class SpecialityEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("Save"))
