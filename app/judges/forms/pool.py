"""Forms of the judge pool: a judge's place in it, adding a judge, taking one out, and the
pool's filters."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.ids import IdType
from app.core.input_limits import MAX_ROW_ID
from app.judges import validity
from app.judges.models import JudgeKind
from app.judges.services.pool import PoolFilter
from app.orgs.forms.fields import UnitField, UnitFilterField


def row_id(value) -> int | None:
    """A usable row id from untrusted input, or None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ROW_ID else None


def kind_choices():
    return [(JudgeKind.JUDGE.value, _l("Judge")), (JudgeKind.EXPERT.value, _l("Expert")),
            (JudgeKind.BOTH.value, _l("Judge and expert"))]


def id_type_choices():
    return [(IdType.RESIDENT_ID.value, _l("Resident ID card")), (IdType.PASSPORT.value, _l("Passport")),
            (IdType.HK_MACAO_PERMIT.value, _l("Mainland travel permit for Hong Kong and Macao residents")),
            (IdType.TAIWAN_PERMIT.value, _l("Mainland travel permit for Taiwan residents"))]


class CheckboxesField(SelectMultipleField):
    """Several choices from a short list, shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProfileForm(FlaskForm):
    """A judge's place in the pool; the choices are filled in by the view."""

    kind = SelectField(_l("Kind"), choices=kind_choices, validators=[DataRequired()])
    level_id = SelectField(_l("Level"), coerce=row_id, validators=[DataRequired()])
    speciality_ids = CheckboxesField(_l("Trades"), coerce=int)
    region = StringField(_l("Region (province)"), validators=[Optional(), Length(max=64)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save"))


class NewJudgeForm(ProfileForm):
    """A judge found by their ID document, or a new person made from these fields."""

    full_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64)])
    id_type = SelectField(_l("ID document"), choices=id_type_choices, default=IdType.RESIDENT_ID.value,
                          validators=[DataRequired()])
    id_number = StringField(_l("ID number"), validators=[DataRequired(), Length(max=40)])
    phone = StringField(_l("Mobile phone"), validators=[Optional(), Length(max=32)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    organisation_id = UnitField(_l("Unit"))
    submit = SubmitField(_l("Add to the pool"))


class ActiveForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Confirm"))


def state_choices():
    return [("", _l("Any")), (validity.VALID, _l("Valid")), (validity.EXPIRING, _l("Expiring within 90 days")),
            (validity.EXPIRED, _l("Expired")), (validity.NOT_YET_VALID, _l("Not yet valid")),
            (validity.NONE, _l("No certificate"))]


class PoolFilterForm(FlaskForm):
    """The pool list's filters, read from the query string; a junk value is ignored."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), validate_choice=False)
    level_id = SelectField(_l("Level"), coerce=row_id, validate_choice=False)
    speciality_id = SelectField(_l("Trade"), coerce=row_id, validate_choice=False)
    region = SelectField(_l("Region"), validate_choice=False)
    unit = UnitFilterField(_l("Unit"))
    state = SelectField(_l("Certificate"), choices=state_choices, validate_choice=False)
    active = SelectField(_l("In the pool"), choices=[("yes", _l("Active")), ("no", _l("Inactive")),
                                                     ("all", _l("Both"))], validate_choice=False)
    q = StringField(_l("Name, phone, ID or certificate number"), validators=[Optional(), Length(max=64)])

    def pool_filter(self) -> PoolFilter:
        kind = self.kind.data if self.kind.data in {k.value for k in JudgeKind} else None
        region = (self.region.data or "").strip()[:64] or None
        return PoolFilter(kind=JudgeKind(kind) if kind else None, level_id=row_id(self.level_id.data),
                          speciality_id=row_id(self.speciality_id.data), region=region,
                          organisation_id=self.unit.unit_id,
                          state=self.state.data if self.state.data in validity.JUDGE_STATES else None,
                          search=(self.q.data or "").strip()[:64] or None,
                          is_active={"no": False, "all": None}.get(self.active.data, True))

    def query_args(self) -> dict:
        """The filters in effect, as URL arguments (for the pages and the export)."""
        flt = self.pool_filter()
        args = {"kind": flt.kind.value if flt.kind else None, "level_id": flt.level_id,
                "speciality_id": flt.speciality_id, "region": flt.region, "state": flt.state, "q": flt.search,
                "active": {False: "no", None: "all"}.get(flt.is_active), **self.unit.query_args()}
        return {name: value for name, value in args.items() if value is not None}
