"""Staff forms of the station draw (抽签): running it, moving or swapping a seat afterwards."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.competitions.forms.staff import row_id
from app.competitions.services.seats import MAX_REASON
from app.core.seeded_draw import MAX_SEED_LENGTH, MAX_WITNESSES


class StationDrawForm(FlaskForm):
    seed_source = RadioField(_l("Seed"), choices=[
        ("secure", _l("Let the system draw a secure random seed now")),
        ("witnessed", _l("Type a seed agreed in front of witnesses"))], default="secure", validators=[DataRequired()])
    seed = StringField(_l("Seed typed in front of witnesses"), validators=[Optional(), Length(max=MAX_SEED_LENGTH)])
    witnesses = TextAreaField(_l("Witnesses present"), validators=[Optional(), Length(max=MAX_WITNESSES)])
    submit = SubmitField(_l("Draw now"))


def place_value(value) -> tuple[int, int] | None:
    """A place sent as "<session id>:<station id>", or None for anything else."""
    session_id, _sep, station_id = str(value or "").partition(":")
    session_id, station_id = row_id(session_id), row_id(station_id)
    return (session_id, station_id) if session_id and station_id else None


class SeatChangeForm(FlaskForm):
    """Move a contestant to a free station, or swap them with whoever sits at the one chosen."""

    seat_id = SelectField(_l("Contestant"), coerce=row_id, validate_choice=False, validators=[DataRequired()])
    place = SelectField(_l("To"), validate_choice=False, validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=MAX_REASON)])
    submit = SubmitField(_l("Move or swap"))


class SeatWaitingForm(FlaskForm):
    """Seat the approved entries that have no station yet (after the draw): the button alone."""

    submit = SubmitField(_l("Give them the next free stations"))
