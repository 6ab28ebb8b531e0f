"""Staff forms for sessions (场次): a session's fields, and the panel that judges it.

Times are typed in the association's time zone (JIYI_TIMEZONE) and come out aware; stations
are typed as numbers and ranges ("1-10, 12"), empty for every station of the room in service.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.competitions.forms.setup import LOCAL_FORMATS, TextForm, within_years
from app.core.time import association_zone
from app.scheduling.services.places import MAX_STATION_NUMBER

_RANGE = re.compile(r"^(\d{1,4})(?:-(\d{1,4}))?$")


def station_numbers(text: str | None) -> list[int] | None:
    """"1-3, 7" → [1, 2, 3, 7]; empty → None (every station in service). Raises ValueError."""
    joined = re.sub(r"\s*[-–~]\s*", "-", (text or "").strip())
    parts = [part for part in re.split(r"[,，、\s]+", joined) if part]
    if not parts:
        return None
    numbers: list[int] = []
    for part in parts:
        match = _RANGE.match(part)
        if match is None:
            raise ValueError(part)
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if not 1 <= first <= last <= MAX_STATION_NUMBER:
            raise ValueError(part)
        numbers.extend(range(first, last + 1))
    return list(dict.fromkeys(numbers))   # in the order typed, each once


def row_choice(value):
    """A select's value as a row id; None for the empty choice; anything else stays as typed,
    so that the select refuses it as no choice of its list."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 12 else str(value)


class SessionForm(TextForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    stage_id = SelectField(_l("Stage"), coerce=row_choice, validators=[Optional()])
    room_id = SelectField(_l("Room"), coerce=row_choice, validators=[InputRequired()])
    starts_at = DateTimeLocalField(_l("Starts"), format=LOCAL_FORMATS, tz=association_zone,
                                   validators=[InputRequired(), within_years()])
    ends_at = DateTimeLocalField(_l("Ends"), format=LOCAL_FORMATS, tz=association_zone,
                                 validators=[InputRequired(), within_years()])
    station_ids = StringField(_l("Stations used"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save"))

    def validate_room_id(self, field):
        if not isinstance(field.data, int):
            raise ValidationError(str(_l("Please choose a room from the list.")))

    def validate_station_ids(self, field):
        try:
            station_numbers(field.data)
        except ValueError:
            raise ValidationError(str(_l("Please type station numbers and ranges, e.g. 1-10, 12."))) from None

    def numbers(self) -> list[int] | None:
        try:
            return station_numbers(self.station_ids.data)
        except ValueError:
            return None


class SessionPanelForm(FlaskForm):
    """The panel that judges a session ("" = none)."""

    panel_id = SelectField(_l("Judge panel"), coerce=row_choice, validators=[Optional()])
    submit = SubmitField(_l("Save"))


class DeleteSessionForm(FlaskForm):
    """Deleting a session: the CSRF token only (the page asks first)."""
