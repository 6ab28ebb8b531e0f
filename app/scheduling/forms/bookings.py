"""The form that books a room, one of its stations or a person by hand, and the one that
cancels such a booking. Times are typed in the association's time zone (JIYI_TIMEZONE)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.core.time import association_zone
from app.scheduling.services.bookings import YEARS

# The first format is what <input type="datetime-local"> sends.
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def _in_years(form, field):
    if field.data is not None and field.data.year not in YEARS:
        raise ValidationError(_l("Please choose a day between the years %(first)d and %(last)d.",
                                 first=YEARS.start, last=YEARS.stop - 1))


class BookingForm(FlaskForm):
    # "room", "person", or "station-<id>" for one of the room's stations (choices set by the view).
    what = SelectField(_l("What to book"), validators=[DataRequired()])
    person = StringField(_l("Person (phone number or resident ID number)"), validators=[Optional(), Length(max=64)])
    starts_at = DateTimeLocalField(_l("Starts"), format=LOCAL_FORMATS, tz=association_zone,
                                   validators=[InputRequired(), _in_years])
    ends_at = DateTimeLocalField(_l("Ends"), format=LOCAL_FORMATS, tz=association_zone,
                                 validators=[InputRequired(), _in_years])
    label = StringField(_l("What for"), validators=[DataRequired(), Length(max=128)])
    submit = SubmitField(_l("Book"))

    def validate_person(self, field):
        if self.what.data == "person" and not (field.data or "").strip():
            raise ValidationError(_l("Please type the phone number or resident ID number of one person."))


class CancelBookingForm(FlaskForm):
    """Cancelling a booking made by hand: the CSRF token only (the page asks first)."""
