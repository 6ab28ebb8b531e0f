"""Forms of a certificate template: its page and words, where each field sits, its background."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DecimalField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from app.certificates.labels import KIND_LABELS, ORIENTATION_LABELS, PAGE_SIZE_LABELS, ALIGN_LABELS
from app.certificates.layout import FIELD_KEYS, Placement
from app.certificates.render import FONT_CHOICES
from app.core.forms import optional_choice


class TemplateForm(FlaskForm):
    name = StringField(_l("Name (for staff)"), validators=[DataRequired(), Length(max=100)])
    kind = SelectField(_l("Kind"), choices=[(kind.value, label) for kind, label in KIND_LABELS.items()],
                       validators=[DataRequired()])
    page_size = SelectField(_l("Page size"), choices=list(PAGE_SIZE_LABELS.items()), validators=[DataRequired()])
    orientation = SelectField(_l("Orientation"), choices=list(ORIENTATION_LABELS.items()),
                              validators=[DataRequired()])
    title = StringField(_l("Printed title"), validators=[DataRequired(), Length(max=100)])
    issuer = StringField(_l("Issuer (printed)"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Save"))


def _placement_fields(form_class: type) -> type:
    """Add, for each printed field, its shown / x / y / size / font / alignment inputs,
    named `<key>_<attribute>` (the names the service's problems use)."""
    fonts = [(key, label) for key, (label, _index) in FONT_CHOICES.items()]
    for key in FIELD_KEYS:
        setattr(form_class, f"{key}_shown", BooleanField(_l("Printed")))
        setattr(form_class, f"{key}_x_mm", DecimalField(_l("From the left (mm)"), places=1,
                                                          validators=[InputRequired()]))
        setattr(form_class, f"{key}_y_mm", DecimalField(_l("From the bottom (mm)"), places=1,
                                                          validators=[InputRequired()]))
        setattr(form_class, f"{key}_size", DecimalField(_l("Side (mm)") if key == "qr" else _l("Size (pt)"),
                                                          places=1, validators=[InputRequired()]))
        if key != "qr":
            setattr(form_class, f"{key}_font", SelectField(_l("Font"), choices=fonts, validators=[optional_choice()]))
            setattr(form_class, f"{key}_align", SelectField(_l("Alignment"), choices=list(ALIGN_LABELS.items()),
                                                              validators=[optional_choice()]))
    return form_class


@_placement_fields
class LayoutForm(TemplateForm):
    """The template's words and page, and where each field sits."""


def fill_layout(form: LayoutForm, placements: list[Placement]) -> None:
    for placement in placements:
        getattr(form, f"{placement.key}_shown").data = placement.shown
        getattr(form, f"{placement.key}_x_mm").data = placement.x_mm
        getattr(form, f"{placement.key}_y_mm").data = placement.y_mm
        getattr(form, f"{placement.key}_size").data = placement.size
        if placement.key != "qr":
            getattr(form, f"{placement.key}_font").data = placement.font
            getattr(form, f"{placement.key}_align").data = placement.align


def placements_of(form: LayoutForm) -> list[Placement]:
    """The placements the form holds; a number the form refused reads as -1 (off the page),
    so the service's check names it too."""
    def number(name):
        value = getattr(form, name).data
        return -1.0 if value is None or getattr(form, name).errors else float(value)

    found = []
    for key in FIELD_KEYS:
        font = getattr(form, f"{key}_font").data if key != "qr" else "hei"
        align = getattr(form, f"{key}_align").data if key != "qr" else "left"
        found.append(Placement(key, number(f"{key}_x_mm"), number(f"{key}_y_mm"), number(f"{key}_size"),
                               font or "", align or "", bool(getattr(form, f"{key}_shown").data)))
    return found


class BackgroundForm(FlaskForm):
    file = FileField(_l("Background image (PNG or JPEG)"), validators=[FileRequired()])
    submit = SubmitField(_l("Check the image"))


class ConfirmBackgroundForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Use this background"))


class PlainForm(FlaskForm):
    """A button alone (remove the background), CSRF only."""
