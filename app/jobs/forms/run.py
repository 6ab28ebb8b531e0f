"""The "run now" form: which job (one of the catalogue's fixed ids)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired

from app.jobs import catalogue


class RunNowForm(FlaskForm):
    job = SelectField(_l("Job"), validators=[InputRequired()],
                      choices=[(job.id, job.label) for job in catalogue.JOBS.values()])
    submit = SubmitField(_l("Run now"))
