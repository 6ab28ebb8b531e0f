"""A member unit (会员单位) in a form: typed by its credit code or its name, not picked from a list.

The association has over a thousand units: a <select> of all of them costs a query and a
large page on every load and is hard to use on a phone. `UnitField` is one text box whose
text alone names the unit (no hidden id, so it works without JavaScript); its `.data` is the
unit's id. app/static/js/unit-picker.js turns every box carrying `data-unit-picker` into a
suggest-as-you-type box fed by GET /orgs/lookup.

`UnitFilterField` is the same box in a list's filters (read from the query string, never
validated): it also takes the `org_id=<id>` argument that links and older bookmarks carry.
"""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from app.core.errors import InvalidInput
from app.core.input_limits import MAX_ROW_ID
from app.extensions import db
from app.orgs.models import Organisation
from app.orgs.services import lookup

# No row has id 0: a filter naming a unit that cannot be found matches nothing, rather than
# quietly showing every row under a filter that looks applied.
NO_UNIT = 0
MAX_TEXT = 200  # longer than any name or code, with room for spaces


def row_id(value) -> int | None:
    """A usable row id from untrusted input, or None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ROW_ID else None


class UnitField(Field):
    """A unit by credit code or exact name; `.data` is its id, or None when left empty.

    Pass `required=True` (or set `.required` in the view) to refuse an empty box. An unknown
    text, or a name several units share, is a field error saying so. Shown again, the box
    holds the unit's name whenever a unit is known: a stored record's, or the one typed.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, required: bool = False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.text = ""                              # what was typed, as sent
        self.unit: Organisation | None = None       # the unit found, once looked up

    @property
    def required(self) -> bool:
        return bool(self.flags.required)

    @required.setter
    def required(self, value: bool) -> None:
        self.flags.required = value

    def process_data(self, value):
        if isinstance(value, Organisation):
            value = value.id
        self.data = value if isinstance(value, int) and not isinstance(value, bool) else None

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.text, self.data, self.unit = str(valuelist[0]), None, None
        if not lookup.normal_name(self.text):
            return
        if len(self.text) > MAX_TEXT:
            raise ValueError(_("No member unit has this name or credit code."))
        try:
            self.unit = lookup.find_unit(self.text)
        except InvalidInput as error:
            raise ValueError(error.message) from None
        self.data = self.unit.id

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the lookup's message is in self.errors already
        if self.data is None:
            raise StopValidation(_("Please enter the unit's name or credit code.") if self.required else None)

    def _value(self) -> str:
        """The unit's name once it is known (typed by code, the box then says which unit it
        is), else the text as typed, so a mistake can be corrected in place."""
        if self.data is None:
            return self.raw_data[0] if self.raw_data else ""
        if self.unit is None or self.unit.id != self.data:
            self.unit = db.session.get(Organisation, self.data)
        return self.unit.name if self.unit is not None else ""

    def __call__(self, **kwargs):
        kwargs.setdefault("data-unit-picker", url_for("orgs.lookup_units"))
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("maxlength", MAX_TEXT)
        kwargs.setdefault("placeholder", _("Unit name or credit code"))
        return super().__call__(**kwargs)


class UnitFilterField(UnitField):
    """A list's unit filter: the typed text, or else the `legacy_name` argument holding an id.

    Filter forms are read, not validated, so a lookup's error is in `.errors` at once.
    """

    def __init__(self, label=None, validators=None, *, legacy_name: str = "org_id", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.legacy_name = legacy_name

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        self.errors = list(self.process_errors)
        if formdata is not None and not lookup.normal_name(self.text):
            self.data = row_id(formdata.get(self.legacy_name))

    @property
    def unit_id(self) -> int | None:
        """The unit to filter by: None for any unit, NO_UNIT for text that names none."""
        return NO_UNIT if self.errors else self.data

    def query_args(self) -> dict:
        """The filter as URL arguments: the unit's id when one was found, else the text."""
        if self.errors:
            return {self.name: self.text}
        return {self.legacy_name: self.data} if self.data is not None else {}
