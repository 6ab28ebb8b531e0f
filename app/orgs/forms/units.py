"""Forms for member units and committees."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from app.orgs.models import OrgType


def org_type_choices():
    return [(OrgType.ENTERPRISE.value, _l("Enterprise")),
            (OrgType.PUBLIC_INSTITUTION.value, _l("Public institution")),
            (OrgType.GOVERNMENT.value, _l("Government body")),
            (OrgType.SOCIAL_ORGANISATION.value, _l("Social organisation")),
            (OrgType.SCHOOL.value, _l("School or college")),
            (OrgType.OTHER.value, _l("Other"))]


class OrganisationForm(FlaskForm):
    name = StringField(_l("Unit name"), validators=[DataRequired(), Length(max=128)])
    credit_code = StringField(_l("Unified social credit code"), validators=[DataRequired(), Length(max=40)])
    province = StringField(_l("Province"), validators=[DataRequired(), Length(max=32)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=32)])
    org_type = SelectField(_l("Type"), choices=org_type_choices, validators=[DataRequired()])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=64)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=32)])
    contact_email = StringField(_l("Contact e-mail"), validators=[Optional(), Length(max=254)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=255)])
    submit = SubmitField(_l("Save"))


class CommitteeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=128)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=128)])
    submit = SubmitField(_l("Add committee"))
