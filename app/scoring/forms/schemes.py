"""Forms for building a marking scheme and rehearsing it. Field validators catch every problem
at once; the scheme service checks the whole definition again (what only it can know: codes
used twice, weights that do not add up, a tie-break naming nothing)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.core.forms import BoundedIntegerField, optional_choice
from app.scoring.arithmetic.rounding import MAX_PLACES
from app.scoring.services import preview, schemes

LIMIT = Decimal(10) ** 9
CODE = Regexp(r"^[A-Za-z0-9_\-]+$", message=_l("Use letters, digits, - and _ only."))
PLACES = NumberRange(min=0, max=MAX_PLACES)


class DecimalText(StringField):
    """A number kept exact (Decimal), at most 6 decimals, within ±10⁹; empty is None."""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        self.raw_data = valuelist
        if not text:
            return
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(_l("Please enter a number.")) from None
        if not value.is_finite() or abs(value) > LIMIT or value.as_tuple().exponent < -MAX_PLACES:
            raise ValueError(_l("Please enter a number with at most 6 decimals."))
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


def rounding_choices():
    return [("half_up", _l("Round half up (四舍五入)")), ("half_even", _l("Round half to even")),
            ("half_down", _l("Round half down")), ("down", _l("Cut off (towards zero)")),
            ("up", _l("Round away from zero")), ("floor", _l("Round down")), ("ceiling", _l("Round up"))]


class NewSchemeForm(FlaskForm):
    name = StringField(_l("Scheme name"), validators=[DataRequired(), Length(max=100)])
    stage_id = SelectField(_l("Stage"), validators=[optional_choice()], choices=[])
    start = SelectField(_l("Start from"), choices=[("empty", _l("An empty scheme")),
                                                   ("national", _l("Theory 30 % and practical 70 % (national rule)"))])
    submit = SubmitField(_l("Add the scheme"))


class SettingsForm(FlaskForm):
    name = StringField(_l("Scheme name"), validators=[DataRequired(), Length(max=100)])
    total_rounding = SelectField(_l("Rounding of the total"), choices=rounding_choices())
    total_places = BoundedIntegerField(_l("Decimal places of the total"), validators=[Optional(), PLACES],
                                       default=2)
    tie_breaks = TextAreaField(_l("Tie-breaks, in order"), validators=[Optional(), Length(max=1000)])
    award_method = SelectField(_l("Awards"), choices=[("none", _l("No awards")), ("rank", _l("By place")),
                                                      ("share", _l("By share of the field (%)")),
                                                      ("threshold", _l("By minimum total"))])
    award_levels = TextAreaField(_l("Awards and their limits"), validators=[Optional(), Length(max=1000)])
    award_rounding = SelectField(_l("Rounding of award counts"), choices=rounding_choices())
    standardisation = SelectField(_l("Standardisation"), choices=[
        ("none", _l("None")), ("zscore", _l("z-score to a chosen mean and spread")),
        ("ws700", _l("700-point scale (WorldSkills manner)"))])
    standard_mean = DecimalText(_l("Target mean (z-score)"))
    standard_spread = DecimalText(_l("Target spread (z-score)"))
    standard_benchmark = DecimalText(_l("Benchmark total (700 scale; empty: the field's mean)"))
    standard_rounding = SelectField(_l("Rounding of standardised scores"), choices=rounding_choices())
    standard_places = BoundedIntegerField(_l("Decimal places of standardised scores"), validators=[Optional(), PLACES],
                                          default=2)
    blind = BooleanField(_l("Blind marking: judges see a station or work number, never a name or unit"))
    spread_action = SelectField(_l("When judges are further apart than an aspect allows"), choices=[
        ("remark", _l("The judges look again and revise (each change kept with its reason)")),
        ("third_marker", _l("A third marker marks it"))], default="remark")
    submit = SubmitField(_l("Save"))


class ComponentForm(FlaskForm):
    original_key = HiddenField()
    key = StringField(_l("Code"), validators=[DataRequired(), Length(max=32), CODE])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    weight = DecimalText(_l("Weight (%)"))
    scale_to = DecimalText(_l("Scale to (e.g. 100; empty: the raw sum)"))
    is_theory = BooleanField(_l("This is theory (its share of the total is at most 30 %)"))
    rounding = SelectField(_l("Rounding"), choices=rounding_choices())
    places = BoundedIntegerField(_l("Decimal places"), validators=[Optional(), PLACES], default=2)
    submit = SubmitField(_l("Save"))


class AspectForm(FlaskForm):
    original_key = HiddenField()
    component = SelectField(_l("Component"), choices=[], validators=[DataRequired()])
    criterion = StringField(_l("Criterion"), validators=[DataRequired(), Length(max=100)])
    key = StringField(_l("Code"), validators=[DataRequired(), Length(max=32), CODE])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    kind = SelectField(_l("Kind"), choices=[("judgement", _l("Judgement (several judges on a scale)")),
                                            ("measurement", _l("Measurement (one value, or two that must agree)")),
                                            ("deduction", _l("Deduction (a penalty)"))])
    maximum = DecimalText(_l("Maximum score"), validators=[InputRequired(message=_l("Please give the maximum."))])
    scale_min = DecimalText(_l("Lowest mark"), validators=[InputRequired(message=_l("Please give the lowest mark."))])
    scale_max = DecimalText(_l("Highest mark"), validators=[InputRequired(message=_l("Please give the highest mark."))])
    scale_step = DecimalText(_l("Step (e.g. 0.5; empty: any)"))
    allowed_spread = DecimalText(_l("Allowed spread between judges"))
    judges = BoundedIntegerField(_l("Judges per attempt"), validators=[Optional(), NumberRange(
        min=1, max=schemes.MAX_JUDGES)])
    aggregation = SelectField(_l("Judges' marks combine by"), choices=[
        ("mean", _l("Mean")), ("median", _l("Median")), ("sum", _l("Sum")),
        ("trimmed_mean", _l("Trimmed mean (drop highest and lowest)")),
        ("trimmed_sum", _l("Trimmed sum (drop highest and lowest)"))])
    drop_high = BoundedIntegerField(_l("Highest marks dropped"), validators=[Optional(), NumberRange(min=0, max=10)],
                                    default=0)
    drop_low = BoundedIntegerField(_l("Lowest marks dropped"), validators=[Optional(), NumberRange(min=0, max=10)],
                                   default=0)
    attempts_rule = SelectField(_l("Attempts count by"), choices=[
        ("sum", _l("Sum of all")), ("best", _l("Best of N")), ("best_k", _l("Sum of the best K")),
        ("last", _l("The last"))])
    attempts_count = BoundedIntegerField(_l("Attempts per contestant (empty: any)"), validators=[
        Optional(), NumberRange(min=1, max=schemes.MAX_ATTEMPTS)])
    best_k = BoundedIntegerField(_l("K (best K)"), validators=[Optional(), NumberRange(min=1, max=schemes.MAX_ATTEMPTS)],
                                 default=1)
    uses_factor = BooleanField(_l("Each attempt has a factor (degree of difficulty)"))
    rounding = SelectField(_l("Rounding"), choices=rounding_choices())
    places = BoundedIntegerField(_l("Decimal places"), validators=[Optional(), PLACES], default=2)
    submit = SubmitField(_l("Save"))


class RemoveForm(FlaskForm):
    # Plain fields, sent as hidden inputs by the button (hidden_tag would send them empty as well).
    what = StringField(validators=[DataRequired(), Length(max=60)])
    submit = SubmitField(_l("Remove"))


class DeleteSchemeForm(FlaskForm):
    confirm = StringField(validators=[DataRequired(), Length(max=8)])
    submit = SubmitField(_l("Delete the scheme"))


class RehearsalForm(FlaskForm):
    marks = TextAreaField(_l("Marks"), validators=[Optional(), Length(max=preview.MAX_LINES * 120)])
    file = FileField(_l("Or an Excel file (.xlsx)"), validators=[FileAllowed(["xlsx"], _l("Please upload an .xlsx file."))])
    submit = SubmitField(_l("Compute"))
