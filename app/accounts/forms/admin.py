"""The system admin's form: giving a role, everywhere or in one scope."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import DataRequired

from app.core.forms import optional_choice
from app.orgs.forms.fields import UnitField

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
