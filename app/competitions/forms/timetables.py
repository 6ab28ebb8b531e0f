"""The one form of the timetable pages: a new calendar-feed address (it revokes the old one)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class NewFeedForm(FlaskForm):
    submit = SubmitField(_l("New calendar link"))
