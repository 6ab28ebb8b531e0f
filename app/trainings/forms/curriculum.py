"""Forms of the curriculum pages: a course session, an instructor of the pool, a material.

Times are typed in the association's time zone (JIYI_TIMEZONE) and come out aware.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateTimeLocalField, DecimalField, SelectField, SelectMultipleField,
                     StringField, SubmitField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.core.forms import optional_choice
from app.core.time import association_zone
from app.scheduling.forms.bookings import LOCAL_FORMATS
from app.scheduling.services.bookings import YEARS
from app.trainings.models import SessionKind
from app.trainings.services import curriculum


def _in_years(form, field):
    if field.data is not None and field.data.year not in YEARS:
        raise ValidationError(_l("Please choose a day between the years %(first)d and %(last)d.",
                                 first=YEARS.start, last=YEARS.stop - 1))


def row_id(value):
    """A select's value as a row id; None for the empty choice; anything else as typed (refused)."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else str(value)


class CourseSessionForm(FlaskForm):
    title = StringField(_l("Session title"), validators=[DataRequired(), Length(max=curriculum.MAX_TITLE)])
    kind = SelectField(_l("Kind"), choices=[(kind.value, label) for kind, label in curriculum.KIND_LABELS.items()],
                       default=SessionKind.LECTURE.value, validators=[InputRequired()])
    starts_at = DateTimeLocalField(_l("Starts"), format=LOCAL_FORMATS, tz=association_zone,
                                   validators=[InputRequired(), _in_years])
    ends_at = DateTimeLocalField(_l("Ends"), format=LOCAL_FORMATS, tz=association_zone,
                                 validators=[InputRequired(), _in_years])
    hours = DecimalField(_l("Class hours"), places=1, validators=[InputRequired(), NumberRange(min=0, max=99.9)])
    room_id = SelectField(_l("Room"), coerce=row_id, validators=[optional_choice()])
    place = StringField(_l("Or the place (an online link, a site without a room)"),
                        validators=[Optional(), Length(max=curriculum.MAX_PLACE)])
    instructor_ids = SelectMultipleField(_l("Instructors"), coerce=row_id, validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def fields(self) -> curriculum.SessionFields:
        # Also read from a refused form: what the form refused is left out.
        kind = SessionKind(self.kind.data) if self.kind.data in {k.value for k in SessionKind} else None
        return curriculum.SessionFields(
            title=self.title.data, kind=kind, starts_at=self.starts_at.data, ends_at=self.ends_at.data,
            hours=self.hours.data if not self.hours.errors else None,
            room_id=self.room_id.data if not self.room_id.errors and isinstance(self.room_id.data, int) else None,
            place=self.place.data,
            instructor_ids=[] if self.instructor_ids.errors else [i for i in self.instructor_ids.data or []
                                                                  if isinstance(i, int)])


class InstructorForm(FlaskForm):
    person = StringField(_l("Person (phone number or resident ID number)"), validators=[Optional(), Length(max=64)])
    title = StringField(_l("Professional title (e.g. senior engineer)"), validators=[Optional(), Length(max=100)])
    expertise = StringField(_l("Teaches"), validators=[Optional(), Length(max=500)])
    bio = TextAreaField(_l("About them"), validators=[Optional(), Length(max=4000)])
    is_active = BooleanField(_l("Teaches now (active in the pool)"), default=True)
    submit = SubmitField(_l("Save"))


class MaterialForm(FlaskForm):
    title = StringField(_l("Title of the material"), validators=[Optional(), Length(max=200)])
    session_id = SelectField(_l("For the session"), coerce=row_id, validators=[optional_choice()])
    file = FileField(_l("File"))
    submit = SubmitField(_l("Upload"))


class ButtonForm(FlaskForm):
    """A button that changes something: the CSRF token only (the page asks first when it must)."""


class DeleteMaterialForm(FlaskForm):
    """Deleting a material: the form names the one it deletes (a stray post deletes nothing)."""

    material_id = StringField(validators=[InputRequired()])   # sent as a hidden input by the page
