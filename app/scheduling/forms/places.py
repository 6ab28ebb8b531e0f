"""Forms for venues, rooms and stations. Field validators catch every problem at once; the
services check again (and what only they can know: duplicates)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.core.forms import BoundedIntegerField
from app.scheduling.services.bookings import YEARS
from app.scheduling.services.places import MAX_BULK_STATIONS, MAX_STATION_NUMBER

NUMBER = NumberRange(min=1, max=MAX_STATION_NUMBER)


class VenueForm(FlaskForm):
    name = StringField(_l("Venue name"), validators=[DataRequired(), Length(max=128)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=255)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save"))


class RoomForm(FlaskForm):
    name = StringField(_l("Room name"), validators=[DataRequired(), Length(max=64)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save"))


class StationForm(FlaskForm):
    number = BoundedIntegerField(_l("Station number"), validators=[DataRequired(), NUMBER])
    equipment = StringField(_l("Equipment"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save"))


class BulkStationsForm(FlaskForm):
    first = BoundedIntegerField(_l("From number"), default=1, validators=[DataRequired(), NUMBER])
    last = BoundedIntegerField(_l("To number"), validators=[DataRequired(), NUMBER])
    equipment = StringField(_l("Equipment"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Add stations"))

    def validate_last(self, field):
        if self.first.data is None or field.data is None:
            return
        if field.data < self.first.data:
            raise ValidationError(_l("The last number must not be below the first."))
        if field.data - self.first.data + 1 > MAX_BULK_STATIONS:
            raise ValidationError(_l("At most %(n)d stations at once.", n=MAX_BULK_STATIONS))


class ServiceForm(FlaskForm):
    """Out of service (with the reason) or back in service."""

    is_out_of_service = BooleanField(_l("Out of service"))
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=255)])
    submit = SubmitField(_l("Save"))

    def validate_reason(self, field):
        if self.is_out_of_service.data and not (field.data or "").strip():
            raise ValidationError(_l("Please say why the station is out of service."))


class DayForm(FlaskForm):
    """The day whose bookings a room's page shows (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    day = DateField(_l("Day"), validators=[Optional()])

    def validate_day(self, field):
        if field.data is not None and field.data.year not in YEARS:
            raise ValidationError(_l("Please choose a day between the years %(first)d and %(last)d.",
                                     first=YEARS.start, last=YEARS.stop - 1))
