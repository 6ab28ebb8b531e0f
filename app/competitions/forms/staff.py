"""Staff forms: filtering the entries, deciding on many at once, entering a unit's people from Excel."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import Length, Optional, ValidationError

from app.competitions.models import RegistrationStatus
from app.competitions.services.listing import EntryFilter
from app.core.forms import ImportForm
from app.orgs.forms.fields import UnitField, UnitFilterField

MAX_ID = 2**31 - 1          # the largest id a column holds; bigger numbers are junk, not a 500
MAX_DECISIONS = 500         # entries decided in one request


def row_id(value) -> int | None:
    """A usable row id from untrusted input, or None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


class RowIdField(HiddenField):
    """A row id sent back by a page; anything else is refused as a process error (WTForms'
    NumberRange overflows on a number of hundreds of digits)."""

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = row_id(valuelist[0])
            if self.data is None:
                raise ValueError(_l("Not a valid entry."))


class EntryFilterForm(FlaskForm):
    """The filters of the entries list, read from the query string; a junk value is ignored."""

    class Meta:
        csrf = False

    competition_id = SelectField(_l("Competition"), coerce=row_id, validate_choice=False)
    event_id = SelectField(_l("Event"), coerce=row_id, validate_choice=False)
    unit = UnitFilterField(_l("Unit"))
    status = SelectField(_l("State"), validate_choice=False)
    q = StringField(_l("Name or exam number"), validators=[Optional(), Length(max=64)])

    def entry_filter(self) -> EntryFilter:
        status = self.status.data if self.status.data in {s.value for s in RegistrationStatus} else None
        return EntryFilter(competition_id=row_id(self.competition_id.data), event_id=row_id(self.event_id.data),
                           organisation_id=self.unit.unit_id,
                           status=RegistrationStatus(status) if status else None,
                           search=(self.q.data or "").strip()[:64] or None)

    def query_args(self) -> dict:
        """The filters in effect, as URL arguments (for pages, the export and the decision form)."""
        flt = self.entry_filter()
        args = {"competition_id": flt.competition_id, "event_id": flt.event_id,
                "status": flt.status.value if flt.status else None, "q": flt.search, **self.unit.query_args()}
        return {name: value for name, value in args.items() if value is not None}


class DecisionForm(FlaskForm):
    """Approve or reject the ticked entries; a rejection needs a reason."""

    registration_ids = SelectMultipleField(coerce=int, validate_choice=False)
    reason = StringField(_l("Reason for rejecting"), validators=[Optional(), Length(max=1000)])
    approve = SubmitField(_l("Approve selected"))
    reject = SubmitField(_l("Reject selected"))

    def validate_registration_ids(self, field):
        if not field.data:
            raise ValidationError(_l("Tick at least one entry."))
        if len(field.data) > MAX_DECISIONS:
            raise ValidationError(_l("At most %(n)d entries at a time.", n=MAX_DECISIONS))
        if any(row_id(value) is None for value in field.data):
            raise ValidationError(_l("Not a valid entry."))

    def validate_reason(self, field):
        if self.reject.data and not (field.data or "").strip():
            raise ValidationError(_l("Please give the reason for the rejection."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.approve.data and not self.reject.data:
            self.approve.errors = [*self.approve.errors, _l("Choose to approve or to reject.")]
            return False
        return valid


class StaffImportForm(ImportForm):
    """Staff upload a file for any unit: the unit is chosen with it."""

    organisation_id = UnitField(_l("Unit"), required=True)
