"""Forms for signing in, signing up, passwords, people and tokens."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from app.accounts.models import Gender, SkillLevel
from app.core.forms import optional_choice
from app.core.ids import IdType
from app.orgs.fields import UnitField


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


class LoginForm(FlaskForm):
    identifier = StringField(_l("Phone, e-mail or username"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    remember = BooleanField(_l("Keep me signed in"))
    submit = SubmitField(_l("Sign in"))


class SignUpForm(FlaskForm):
    full_name = StringField(_l("Real name"), validators=[DataRequired(), Length(max=64)])
    phone = StringField(_l("Mobile phone"), validators=[Optional(), Length(max=32)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])
    submit = SubmitField(_l("Create my account"))


class ForgotPasswordForm(FlaskForm):
    identifier = StringField(_l("Phone, e-mail or username"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Send me a reset link"))


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])
    submit = SubmitField(_l("Set the password"))


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=128)])


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


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Create token"))


UNIT_SCOPE = "organisation"  # the scope choice "a member unit", named in the unit box


class GrantForm(FlaskForm):
    """A role, everywhere, in a committee (from the list) or in a member unit (typed)."""

    role = SelectField(_l("Role"), validators=[DataRequired()])
    scope = SelectField(_l("Scope"), validators=[optional_choice()])
    unit = UnitField(_l("Member unit"))
    submit = SubmitField(_l("Grant"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.unit.errors:
            return False
        if self.scope.data == UNIT_SCOPE and self.unit.data is None:
            self.unit.errors = [_l("Please enter the unit's name or credit code.")]
            return False
        if self.scope.data != UNIT_SCOPE and self.unit.data is not None:
            self.unit.errors = [_l("Choose “A member unit” as the scope, or leave the unit empty.")]
            return False
        return valid


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (revoke, invite, sign out)."""

    submit = SubmitField(_l("Confirm"))
