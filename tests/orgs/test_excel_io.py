"""Member units in Excel: template, checking, all-or-nothing import, export."""
from __future__ import annotations

import io

import pytest
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.core import audit
from app.core.errors import Conflict
from app.core.excel import RowsRefused
from app.core.transaction import unit_of_work
from app.orgs.models import Organisation, OrgType
from app.orgs.services import excel_io, units
from tests.factories import OrganisationFactory, credit_code, liaison, staff

HEADERS = ["单位名称", "统一社会信用代码", "省份", "城市", "单位类型", "联系人", "联系电话", "联系邮箱", "地址"]
DIGITS_LOST = "format the column as text"


@pytest.fixture(autouse=True)
def _english(app):
    """Messages are asserted in English, whatever the zh_CN catalogue says by then."""
    with force_locale("en"):
        yield


def unit_row(n: int, **cells) -> list:
    """A good row for unit `n`, with the named cells replaced (keys: HEADERS' fields)."""
    row = {"name": f"导入单位{n}有限公司", "code": credit_code(9000 + n), "province": "广东省", "city": "广州市",
           "type": "企业", "contact": "李四", "phone": "13800138000", "email": f"unit{n}@example.org",
           "address": "天河路1号"}
    row.update(cells)
    return list(row.values())


def unit_file(*rows, headers=HEADERS, title="会员单位") -> bytes:
    """An xlsx as a person's Excel would save it: cells keep the Python types given."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def org_count(db) -> int:
    return db.session.scalar(select(func.count(Organisation.id)))


def errors_of(check) -> set[tuple[int, str]]:
    return {(error.row, error.column) for error in check.errors}


# --- template ----------------------------------------------------------------------------------

def test_template_has_the_headers_no_row_to_import_and_a_sheet_of_instructions():
    workbook = load_workbook(io.BytesIO(excel_io.template_workbook()))
    data, notes = workbook.worksheets
    assert [cell.value for cell in data[1]] == HEADERS
    assert data.max_row == 1
    assert notes.title == "填写说明"
    text = " ".join(str(cell.value) for row in notes.iter_rows() for cell in row if cell.value)
    assert all(label in text for label in ["企业", "事业单位", "机关", "社会团体", "院校", "其他"])
    assert data.column_dimensions["B"].number_format == "@"  # credit codes typed later stay text


def test_the_template_itself_imports_nothing(db):
    with pytest.raises(Exception, match="no rows"):
        excel_io.check_import(excel_io.template_workbook())


# --- a good file -------------------------------------------------------------------------------

def test_a_good_file_imports_every_unit_with_one_batch_audit_line(db):
    actor = staff()
    data = unit_file(unit_row(1), unit_row(2, type="事业单位", city=None, email=None), unit_row(3, type="school"))
    assert excel_io.import_units(data, actor=actor) == 3
    orgs = {org.name: org for org in db.session.scalars(select(Organisation))}
    assert orgs["导入单位2有限公司"].org_type is OrgType.PUBLIC_INSTITUTION
    assert orgs["导入单位2有限公司"].city is None
    assert orgs["导入单位3有限公司"].org_type is OrgType.SCHOOL
    [batch] = db.session.scalars(audit.entries(action="organisation.imported"))
    assert batch.actor_id == actor.id
    assert sorted(batch.after["organisation_ids"]) == sorted(org.id for org in orgs.values())
    assert len(list(db.session.scalars(audit.entries(action="organisation.created")))) == 3


def test_a_credit_code_typed_with_full_width_characters_and_spaces_is_normalised(db):
    code = credit_code(4242)
    full_width = " ".join(code[i:i + 6] for i in range(0, 18, 6)).translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHJKLMNPQRTUWXY"})
    excel_io.import_units(unit_file(unit_row(1, code=f"  {full_width.lower()}  ")), actor=staff())
    assert db.session.scalar(select(Organisation.credit_code)) == code


def test_a_phone_number_excel_stored_as_a_number_is_imported_as_its_digits(db):
    check = excel_io.check_import(unit_file(unit_row(1, phone=13800138000)))
    assert check.is_clean
    assert check.rows[0].fields.contact_phone == "13800138000"
    assert check.rows[0].stored_as_number == {"联系电话"}


# --- bad rows ----------------------------------------------------------------------------------

def test_a_file_with_one_bad_row_imports_none_of_its_rows(db):
    data = unit_file(unit_row(1), unit_row(2, code="91110000000000000X"), unit_row(3))
    with pytest.raises(RowsRefused) as refused:
        excel_io.import_units(data, actor=staff())
    assert [(error.row, error.column) for error in refused.value.errors] == [(3, "统一社会信用代码")]
    assert org_count(db) == 0


def test_every_bad_row_and_every_bad_cell_is_listed_with_row_column_and_reason(db):
    data = unit_file(
        unit_row(1),
        unit_row(2, name=None),
        unit_row(3, code=credit_code(3)[:-1] + ("0" if credit_code(3)[-1] != "0" else "1")),
        unit_row(4, province=None, type="工厂", phone="12345", email="not-an-email"),
        unit_row(5),
    )
    check = excel_io.check_import(data)
    assert errors_of(check) == {(3, "单位名称"), (4, "统一社会信用代码"),
                                (5, "省份"), (5, "单位类型"), (5, "联系电话"), (5, "联系邮箱")}
    reasons = {(error.row, error.column): error.message for error in check.errors}
    assert reasons[(3, "单位名称")] == "Please enter the unit's name."
    assert "check character" in reasons[(4, "统一社会信用代码")]
    assert "工厂" in reasons[(5, "单位类型")] and "院校" in reasons[(5, "单位类型")]
    assert [row.number for row in check.rows] == [2, 6]
    assert check.bad_row_count == 3


def test_errors_are_listed_by_row_then_in_column_order(db):
    check = excel_io.check_import(unit_file(unit_row(1, email="bad", name=None), unit_row(2, province=None)))
    assert [(error.row, error.column) for error in check.errors] == [(2, "单位名称"), (2, "联系邮箱"), (3, "省份")]


def test_a_credit_code_excel_stored_as_a_fraction_is_refused_with_the_text_format_fix(db):
    check = excel_io.check_import(unit_file(unit_row(1, code=9.11000012345678e17)))
    [error] = check.errors
    assert (error.row, error.column) == (2, "统一社会信用代码")
    assert DIGITS_LOST in error.message


def test_a_credit_code_shown_in_scientific_notation_is_refused_with_the_text_format_fix(db):
    [error] = excel_io.check_import(unit_file(unit_row(1, code="9.11E+17"))).errors
    assert DIGITS_LOST in error.message


def test_a_credit_code_excel_stored_as_a_whole_number_is_read_as_its_digits(db):
    [error] = excel_io.check_import(unit_file(unit_row(1, code=91110000))).errors
    assert error.column == "统一社会信用代码"
    assert "18 characters" in error.message  # checked as the text "91110000", not refused as a number


def test_the_same_credit_code_twice_in_the_file_names_both_rows(db):
    code = credit_code(7)
    check = excel_io.check_import(unit_file(unit_row(1, code=code), unit_row(2), unit_row(3, code=code.lower())))
    assert errors_of(check) == {(2, "统一社会信用代码"), (4, "统一社会信用代码")}
    reasons = {error.row: error.message for error in check.errors}
    assert "row 4" in reasons[2] and "row 2" in reasons[4]


def test_the_same_name_twice_in_the_file_names_both_rows(db):
    check = excel_io.check_import(unit_file(unit_row(1, name="同名公司"), unit_row(2, name=" 同名公司 ")))
    assert errors_of(check) == {(2, "单位名称"), (3, "单位名称")}


def test_units_already_stored_are_refused_by_credit_code_and_by_name(db):
    stored = OrganisationFactory()
    check = excel_io.check_import(unit_file(unit_row(1, code=stored.credit_code), unit_row(2, name=stored.name),
                                            unit_row(3)))
    assert errors_of(check) == {(2, "统一社会信用代码"), (3, "单位名称")}
    assert {error.message for error in check.errors} == {"A unit with this credit code already exists.",
                                                         "A unit with this name already exists."}


def test_import_checks_the_file_again_rather_than_trusting_the_preview(db):
    data = unit_file(unit_row(1), unit_row(2))
    assert excel_io.check_import(data).is_clean
    OrganisationFactory(name="导入单位2有限公司")  # someone adds it between preview and confirm
    with pytest.raises(RowsRefused) as refused:
        excel_io.import_units(data, actor=staff())
    assert [(error.row, error.column) for error in refused.value.errors] == [(3, "单位名称")]
    assert org_count(db) == 1


def test_a_unit_added_during_the_import_rolls_back_every_unit_of_the_file(db, monkeypatch):
    data = unit_file(unit_row(1), unit_row(2), unit_row(3))
    real_check = excel_io.check_import

    def check_then_lose_a_race(raw):
        check = real_check(raw)
        OrganisationFactory(credit_code=check.rows[2].fields.credit_code)  # another writer, committed
        return check

    monkeypatch.setattr(excel_io, "check_import", check_then_lose_a_race)
    with pytest.raises(Conflict, match="Row 4"), unit_of_work():
        excel_io.import_units(data, actor=staff())
    assert org_count(db) == 1
    assert list(db.session.scalars(audit.entries(action="organisation.imported"))) == []


def test_a_unique_index_violation_rolls_back_every_unit_of_the_file(db, monkeypatch):
    data = unit_file(unit_row(1), unit_row(2))
    real_check = excel_io.check_import

    def check_then_lose_a_race(raw):
        check = real_check(raw)
        OrganisationFactory(name=check.rows[1].fields.name)
        return check

    monkeypatch.setattr(excel_io, "check_import", check_then_lose_a_race)
    monkeypatch.setattr(units, "duplicate_of", lambda *args, **kwargs: None)  # the race slips past the check
    with pytest.raises(Conflict, match="Row 3: A unit with this name or credit code already exists"), unit_of_work():
        excel_io.import_units(data, actor=staff())
    assert org_count(db) == 1


def test_a_file_with_only_headers_is_refused(db):
    with pytest.raises(Exception, match="no rows"):
        excel_io.check_import(unit_file())


def test_someone_without_the_import_permission_cannot_import(db):
    with pytest.raises(Exception, match="permission"):
        excel_io.import_units(unit_file(unit_row(1)), actor=liaison(OrganisationFactory()))
    assert org_count(db) == 1


# --- export --------------------------------------------------------------------------------------

def _exported(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_export_lists_every_unit_for_staff_in_the_import_layout(db):
    OrganisationFactory(name="乙单位", org_type=OrgType.GOVERNMENT)
    OrganisationFactory(name="甲单位")
    rows = _exported(excel_io.export_units(staff()))
    assert rows[0] == HEADERS
    assert sorted(row[0] for row in rows[1:]) == ["乙单位", "甲单位"]
    assert {row[0]: row[4] for row in rows[1:]}["乙单位"] == "机关"


def test_export_gives_a_liaison_only_their_own_unit(db):
    own = OrganisationFactory()
    OrganisationFactory()
    rows = _exported(excel_io.export_units(liaison(own)))
    assert [row[0] for row in rows[1:]] == [own.name]


def test_export_neutralises_cells_that_start_like_a_formula(db):
    OrganisationFactory(name="=HYPERLINK(\"http://evil\",\"点击\")", contact_name="+1", address="@SUM(1)")
    [row] = _exported(excel_io.export_units(staff()))[1:]
    assert row[0] == "'=HYPERLINK(\"http://evil\",\"点击\")"
    assert (row[5], row[8]) == ("'+1", "'@SUM(1)")


def test_an_exported_file_reads_back_as_the_same_units(db):
    OrganisationFactory(name="-减号开头的单位", contact_phone="13800138000")
    data = excel_io.export_units(staff())
    check = excel_io.check_import(data)
    assert {(error.column, error.message) for error in check.errors} == {
        ("统一社会信用代码", "A unit with this credit code already exists."),
        ("单位名称", "A unit with this name already exists.")}
