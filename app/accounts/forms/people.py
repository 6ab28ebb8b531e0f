"""Forms for a person's record: their profile, and seeing their full ID number."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from app.accounts.models import Gender, SkillLevel
from app.core.forms import optional_choice
from app.core.ids import IdType
from app.orgs.forms.fields import UnitField


def id_type_choices():
    return [("", _l("— none —")), (IdType.RESIDENT_ID.value, _l("Resident ID card")),
            (IdType.PASSPORT.value, _l("Passport")),
            (IdType.HK_MACAO_PERMIT.value, _l("Mainland travel permit for Hong Kong and Macao residents")),
            (IdType.TAIWAN_PERMIT.value, _l("Mainland travel permit for Taiwan residents"))]


def gender_choices():
    return [("", _l("— from the ID number —")), (Gender.MALE.value, _l("Male")), (Gender.FEMALE.value, _l("Female"))]


def skill_level_choices():
    return [("", _l("None")),
            (SkillLevel.LEVEL_5.value, _l("Level 5 (junior worker)")),
            (SkillLevel.LEVEL_4.value, _l("Level 4 (intermediate worker)")),
            (SkillLevel.LEVEL_3.value, _l("Level 3 (senior worker)")),
            (SkillLevel.LEVEL_2.value, _l("Level 2 (technician)")),
            (SkillLevel.LEVEL_1.value, _l("Level 1 (senior technician)"))]


class PersonForm(FlaskForm):
    full_name = StringField(_l("Real name"), validators=[DataRequired(), Length(max=64)])
    id_type = SelectField(_l("ID document"), choices=id_type_choices, validators=[optional_choice()])
    id_number = StringField(_l("ID number"), validators=[Optional(), Length(max=40)],
                            render_kw={"autocomplete": "off"})
    gender = SelectField(_l("Gender"), choices=gender_choices, validators=[optional_choice()])
    birth_date = DateField(_l("Birth date"), validators=[Optional()])
    phone = StringField(_l("Mobile phone"), validators=[Optional(), Length(max=32)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    organisation_id = UnitField(_l("Member unit"))
    job_title = StringField(_l("Job title"), validators=[Optional(), Length(max=64)])
    skill_level = SelectField(_l("Skill level"), choices=skill_level_choices, validators=[optional_choice()])
    submit = SubmitField(_l("Save"))


class RevealIdForm(FlaskForm):
    reason = StringField(_l("Reason for viewing the full ID number"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Show the full number"))
