"""UnitField: a member unit typed by its credit code or its exact name, whose data is the
unit's id; UnitFilterField: the same box in a list's filters, which also takes org_id=<id>."""
from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from app.core.errors import InvalidInput
from app.orgs.forms.fields import NO_UNIT, UnitField, UnitFilterField
from app.orgs.services import lookup
from tests.factories import OrganisationFactory, credit_code

NO_SUCH_UNIT = "No member unit has this name or credit code."
SEVERAL = "Several units have this name; please enter the unit's credit code."
REQUIRED = "Please enter the unit's name or credit code."


class UnitForm(FlaskForm):
    class Meta:
        csrf = False

    unit = UnitField("Unit")
    needed = UnitField("Needed unit", required=True)


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    unit = UnitFilterField("Unit")


@pytest.fixture
def post(app):
    """Validate UnitForm as posted with `data`; returns the form, still in its request."""
    contexts = []

    def send(**data):
        context = app.test_request_context(method="POST", data=data)
        context.push()
        contexts.append(context)
        form = UnitForm()
        form.validate()
        return form

    yield send
    for context in reversed(contexts):
        context.pop()


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


# --- by credit code --------------------------------------------------------------------------

@pytest.mark.parametrize("retype", [str.lower, full_width, lambda code: full_width(code.lower()),
                                    lambda code: f" {code[:6]} {code[6:12]}-{code[12:]}\u3000"],
                         ids=["lower case", "full width", "full width, lower case", "spaced and hyphenated"])
def test_a_credit_code_typed_any_way_finds_its_unit(post, retype):
    unit = OrganisationFactory()
    form = post(needed=retype(unit.credit_code))
    assert form.errors == {} and form.needed.data == unit.id and form.needed.unit.name == unit.name


def test_a_credit_code_with_a_wrong_check_character_says_so(post):
    unit = OrganisationFactory()
    wrong = unit.credit_code[:17] + ("0" if unit.credit_code[17] != "0" else "1")
    form = post(needed=wrong)
    assert form.needed.data is None
    assert form.errors == {"needed": ["The credit code's check character is wrong; please check it for typing errors."]}


def test_a_valid_credit_code_no_unit_has_is_no_such_unit(post):
    OrganisationFactory()
    assert post(needed=credit_code(999_999)).errors == {"needed": [NO_SUCH_UNIT]}


# --- by name -----------------------------------------------------------------------------------

def test_the_exact_name_finds_its_unit_with_spaces_trimmed(post):
    unit = OrganisationFactory(name="国网 北京检修公司")
    OrganisationFactory(name="国网北京检修公司分部")
    form = post(needed="\u3000国网  北京检修公司 ")
    assert form.errors == {} and form.needed.data == unit.id


def test_a_name_typed_with_other_widths_of_brackets_and_letters_finds_its_unit(post):
    unit = OrganisationFactory(name="华北电网（北京）ABC有限公司")
    assert post(needed="华北电网(北京)ＡＢＣ有限公司").needed.data == unit.id
    half = OrganisationFactory(name="华东电网(上海)有限公司")
    assert post(needed="华东电网（上海）有限公司").needed.data == half.id


def test_part_of_a_name_or_another_case_is_no_unit(post):
    OrganisationFactory(name="华北电网ABC有限公司")
    assert post(needed="华北电网").errors == {"needed": [NO_SUCH_UNIT]}
    assert post(needed="华北电网abc有限公司").errors == {"needed": [NO_SUCH_UNIT]}


def test_percent_and_underscore_in_a_name_are_plain_characters(post):
    OrganisationFactory(name="A_B电力公司")
    exact = OrganisationFactory(name="50%达标公司")
    assert post(needed="A%B电力公司").errors == {"needed": [NO_SUCH_UNIT]}
    assert post(needed="AXB电力公司").errors == {"needed": [NO_SUCH_UNIT]}
    assert post(needed="50%达标公司").needed.data == exact.id


def test_a_name_two_units_share_once_folded_asks_for_the_credit_code(post):
    full = OrganisationFactory(name="华北（北京）检修公司")
    half = OrganisationFactory(name="华北(北京)检修公司")
    assert post(needed="华北（北京)检修公司").errors == {"needed": [SEVERAL]}
    # … unless it is one of them character for character, as a picked suggestion is
    assert post(needed="华北（北京）检修公司").needed.data == full.id
    assert post(needed="华北(北京)检修公司").needed.data == half.id
    assert post(needed=half.credit_code).needed.data == half.id


def test_no_such_unit_is_a_field_error(post):
    OrganisationFactory()
    form = post(unit="没有这个单位", needed="也没有")
    assert form.errors == {"unit": [NO_SUCH_UNIT], "needed": [NO_SUCH_UNIT]}
    assert form.unit.data is None


def test_text_longer_than_any_name_is_no_unit_without_a_lookup(post):
    assert post(needed="单" * 5000).errors == {"needed": [NO_SUCH_UNIT]}


# --- empty -----------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["", "   ", "\u3000\t"], ids=["empty", "spaces", "ideographic space and tab"])
def test_an_empty_box_is_none_when_optional_and_refused_when_required(post, typed):
    unit = OrganisationFactory()
    form = post(unit=typed, needed=unit.name)
    assert form.errors == {} and form.unit.data is None
    form = post(unit=unit.name, needed=typed)
    assert form.errors == {"needed": [REQUIRED]} and form.needed.data is None


def test_a_box_missing_from_the_post_is_empty(post):
    form = post()
    assert form.unit.data is None and form.errors == {"needed": [REQUIRED]}


def test_required_can_be_set_by_the_view(app):
    with app.test_request_context(method="POST", data={"unit": ""}):
        form = UnitForm()
        form.unit.required = True
        assert 'required' in form.unit()
        assert not form.validate() and form.errors["unit"] == [REQUIRED]


# --- shown ---------------------------------------------------------------------------------

def test_a_stored_unit_is_shown_by_its_name(app):
    unit = OrganisationFactory(name="华北电网检修有限公司")
    with app.test_request_context():
        html = UnitForm(data={"unit": unit.id}).unit()
    assert 'value="华北电网检修有限公司"' in html
    assert 'data-unit-picker="/orgs/lookup"' in html and 'autocomplete="off"' in html and 'type="text"' in html


def test_a_record_is_shown_with_its_units_name(app):
    unit = OrganisationFactory(name="华北电网检修有限公司")

    class Record:
        unit = None
        needed = None

    record = Record()
    record.unit = unit.id
    with app.test_request_context():
        form = UnitForm(obj=record)
        assert 'value="华北电网检修有限公司"' in form.unit() and 'value=""' in form.needed()


def test_a_unit_typed_by_code_is_shown_again_by_its_name_and_a_mistake_as_typed(post):
    unit = OrganisationFactory(name="华北电网检修有限公司")
    form = post(unit=unit.credit_code.lower(), needed="华北电网检修")
    assert 'value="华北电网检修有限公司"' in form.unit()
    assert 'value="华北电网检修"' in form.needed()


def test_an_id_of_no_unit_shows_an_empty_box(app):
    with app.test_request_context():
        assert 'value=""' in UnitForm(data={"unit": 987654}).unit()


# --- in a list's filters -----------------------------------------------------------------

def _filter(app, **args):
    with app.test_request_context():
        form = FilterForm(MultiDict(args))
        return form.unit.unit_id, form.unit.query_args(), list(form.unit.errors), form.unit()


def test_a_filter_takes_a_name_or_a_code_and_links_by_id(app):
    unit = OrganisationFactory(name="北方电力")
    assert _filter(app, unit="北方电力")[:3] == (unit.id, {"org_id": unit.id}, [])
    assert _filter(app, unit=unit.credit_code.lower())[:3] == (unit.id, {"org_id": unit.id}, [])


def test_a_filter_keeps_taking_the_org_id_of_old_links_and_shows_the_name(app):
    unit = OrganisationFactory(name="北方电力")
    unit_id, args, errors, html = _filter(app, org_id=str(unit.id))
    assert (unit_id, args, errors) == (unit.id, {"org_id": unit.id}, []) and 'value="北方电力"' in html


def test_typed_text_wins_over_an_org_id(app):
    first, second = OrganisationFactory(), OrganisationFactory()
    assert _filter(app, unit=second.name, org_id=str(first.id))[0] == second.id


@pytest.mark.parametrize("junk", ["abc", "0", "-1", "99999999999999999999", "1e3", ""])
def test_a_junk_org_id_is_no_filter(app, junk):
    assert _filter(app, org_id=junk)[:3] == (None, {}, [])


def test_a_filter_naming_no_unit_matches_nothing_and_says_why(app):
    OrganisationFactory()
    unit_id, args, errors, _html = _filter(app, unit="没有这个单位")
    assert (unit_id, args, errors) == (NO_UNIT, {"unit": "没有这个单位"}, [NO_SUCH_UNIT])


def test_no_filter_is_any_unit(app):
    assert _filter(app)[:3] == (None, {}, [])


# --- the service, directly ---------------------------------------------------------------------

def test_find_unit_names_the_field_it_refuses(db):
    with pytest.raises(InvalidInput) as caught:
        lookup.find_unit("无此单位", field="organisation_id")
    assert (caught.value.field, caught.value.message) == ("organisation_id", NO_SUCH_UNIT)


@pytest.mark.no_database
@pytest.mark.parametrize("typed, normal", [(" 华北 \u3000电网（北京） ", "华北 电网(北京)"), ("ＡＢＣ", "ABC"), ("", "")])
def test_normal_name_folds_width_and_collapses_spaces(typed, normal):
    assert lookup.normal_name(typed) == normal
