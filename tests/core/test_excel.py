"""app.core.excel: formula injection, codes read as text, headers, bad files, kept uploads."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook

from app.core import excel
from app.core.errors import InvalidInput
from app.core.excel import Column

DIGITS_LOST = "format the column as text"


@pytest.fixture(autouse=True)
def _english(app):
    """Messages are asserted in English, whatever the zh_CN catalogue says by then."""
    with force_locale("en"):
        yield


COLUMNS = [Column("单位名称", required=True), Column("统一社会信用代码", required=True, text_code=True),
           Column("人数"), Column("地址")]


def sheet(*rows, title="Sheet") -> bytes:
    """An xlsx built the way a person's Excel file would be: the cells as given."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = title
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- safe_cell and write_workbook ----------------------------------------------------------

@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_safe_cell_neutralises_text_that_starts_like_a_formula(start):
    assert excel.safe_cell(start + "HYPERLINK(\"http://x\")") == "'" + start + "HYPERLINK(\"http://x\")"


@pytest.mark.parametrize("value", [42, -7, 3.5, date(2024, 5, 1), None, "北京=上海", "a-b"])
def test_safe_cell_leaves_numbers_dates_and_ordinary_text_alone(value):
    assert excel.safe_cell(value) == value


def test_safe_cell_drops_characters_an_xlsx_cannot_hold():
    assert excel.safe_cell("单位\x00名\x0b称") == "单位名称"


def test_written_workbook_holds_no_formula_and_a_bold_header():
    data = excel.write_workbook(["名称", "=危险"], [["=1+1", "@SUM(A1)"], [-5, "+86"]], "单位")
    worksheet = load_workbook(io.BytesIO(data)).active  # not data_only: a formula would show as one
    assert worksheet.title == "单位"
    assert worksheet["A1"].font.bold
    values = [[cell.value for cell in row] for row in worksheet.iter_rows()]
    assert values == [["名称", "'=危险"], ["'=1+1", "'@SUM(A1)"], [-5, "'+86"]]
    assert all(cell.data_type != "f" for row in worksheet.iter_rows() for cell in row)


def test_text_columns_are_formatted_as_text_for_written_and_later_rows():
    data = excel.write_workbook(["名称", "代码"], [["甲", "0012"]], "单位", text_columns=["代码"])
    worksheet = load_workbook(io.BytesIO(data)).active
    assert worksheet["B2"].number_format == "@"
    assert worksheet.column_dimensions["B"].number_format == "@"
    assert worksheet["A2"].number_format != "@"


def test_a_written_sheet_reads_back_as_it_was():
    rows = [["=cmd|' /C calc'!A0", "9111000000000000XA", 12, None]]
    data = excel.write_workbook([c.header for c in COLUMNS], rows, "Sheet", text_columns=["统一社会信用代码"])
    [row] = excel.read_rows(data, COLUMNS)
    assert row.values == {"单位名称": "=cmd|' /C calc'!A0", "统一社会信用代码": "9111000000000000XA",
                          "人数": "12", "地址": None}


# --- read_rows: cells as text ----------------------------------------------------------------

def test_whole_number_in_a_code_column_becomes_its_digits_and_is_flagged():
    [row] = excel.read_rows(sheet(["单位名称", "统一社会信用代码"], ["甲", 91110000]), COLUMNS)
    assert row["统一社会信用代码"] == "91110000"
    assert row.stored_as_number == {"统一社会信用代码"}
    assert row.errors == []


def test_fraction_in_a_code_column_is_refused_with_the_text_format_fix():
    [row] = excel.read_rows(sheet(["单位名称", "统一社会信用代码"], ["甲", 9.11100001234e17]), COLUMNS)
    assert row["统一社会信用代码"] is None
    [error] = row.errors
    assert (error.row, error.column) == (2, "统一社会信用代码")
    assert DIGITS_LOST in error.message


@pytest.mark.parametrize("shown", ["9.11E+17", "1.10105E+17", "9E+17", "9.11e-05"])
def test_scientific_notation_typed_as_text_in_a_code_column_is_refused(shown):
    [row] = excel.read_rows(sheet(["单位名称", "统一社会信用代码"], ["甲", shown]), COLUMNS)
    assert DIGITS_LOST in row.errors[0].message


def test_a_formula_cell_is_refused_saying_it_is_a_formula():
    [row] = excel.read_rows(sheet(["单位名称", "统一社会信用代码", "地址"], ['=CONCAT("甲", "乙")', "X", "=A2"]), COLUMNS)
    assert row["单位名称"] is None and row["地址"] is None and row["统一社会信用代码"] == "X"
    assert [(error.column, "formula" in error.message) for error in row.errors] == [("单位名称", True), ("地址", True)]


def test_a_cell_reports_its_first_problem_only():
    [row] = excel.read_rows(sheet(["单位名称", "统一社会信用代码"], ["=B1", 9.11e17]), COLUMNS)
    row.refuse("单位名称", "Please enter the name.")
    assert [error.column for error in row.errors] == ["单位名称", "统一社会信用代码"]
    assert "formula" in row.errors[0].message


def test_ordinary_number_columns_keep_fractions():
    [row] = excel.read_rows(sheet(["单位名称", "统一社会信用代码", "人数"], ["甲", "X", 2.5]), COLUMNS)
    assert row["人数"] == "2.5"
    assert row.errors == []


def test_text_is_stripped_and_dates_read_as_iso_text():
    [row] = excel.read_rows(sheet(["单位名称", "统一社会信用代码", "地址"], ["  甲  ", "X", date(2024, 5, 1)]), COLUMNS)
    assert row["单位名称"] == "甲"
    assert row["地址"] == "2024-05-01"


# --- read_rows: headers and rows ---------------------------------------------------------------

def test_headers_are_matched_by_name_in_any_order_ignoring_spaces_full_width_and_stars():
    data = sheet(["地址", "统一社会信用代码*", " 单位 名称 ", "备注"], ["某路1号", "X", "甲", "ignored"])
    [row] = excel.read_rows(data, COLUMNS)
    assert row.values == {"单位名称": "甲", "统一社会信用代码": "X", "人数": None, "地址": "某路1号"}


def test_a_missing_required_column_is_one_error_naming_every_missing_header():
    with pytest.raises(InvalidInput) as refused:
        excel.read_rows(sheet(["地址"], ["某路1号"]), COLUMNS)
    assert "单位名称" in refused.value.message and "统一社会信用代码" in refused.value.message


def test_a_column_that_appears_twice_is_refused():
    with pytest.raises(InvalidInput, match="单位名称"):
        excel.read_rows(sheet(["单位名称", "统一社会信用代码", "单位名称"]), COLUMNS)


def test_empty_rows_are_skipped_and_row_numbers_stay_as_excel_shows_them():
    data = sheet(["单位名称", "统一社会信用代码"], ["甲", "X"], [None, "  "], ["乙", "Y"], [], [None, None])
    assert [row.number for row in excel.read_rows(data, COLUMNS)] == [2, 4]


def test_the_named_sheet_is_read_and_the_first_one_otherwise():
    workbook = Workbook()
    workbook.active.append(["说明"])
    named = workbook.create_sheet("单位")
    named.append(["单位名称", "统一社会信用代码"])
    named.append(["甲", "X"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert [row["单位名称"] for row in excel.read_rows(buffer.getvalue(), COLUMNS, sheet="单位")] == ["甲"]
    with pytest.raises(InvalidInput):
        excel.read_rows(buffer.getvalue(), COLUMNS, sheet="另一个")  # falls back to the first sheet


def test_more_rows_than_the_limit_is_refused_with_the_limit():
    data = sheet(["单位名称", "统一社会信用代码"], *[[f"单位{i}", "X"] for i in range(4)])
    assert len(excel.read_rows(data, COLUMNS, max_rows=4)) == 4
    with pytest.raises(InvalidInput, match="3"):
        excel.read_rows(data, COLUMNS, max_rows=3)


def test_a_sheet_with_nothing_on_it_is_refused():
    with pytest.raises(InvalidInput):
        excel.read_rows(sheet(), COLUMNS)


def _zip(**members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


@pytest.mark.parametrize("data", [
    b"",
    b"name,credit code\nA,X\n",
    "单位名称,统一社会信用代码".encode("utf-8"),
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,  # an old .xls (OLE2) file
    _zip(hello__txt="not a workbook"),
    _zip(xl__workbook__xml="<not xml"),
    sheet(["单位名称", "统一社会信用代码"])[:300],  # cut off in the middle
], ids=["empty", "csv", "chinese-csv", "xls", "zip", "broken-xml", "truncated"])
def test_a_file_that_is_not_an_xlsx_is_refused_with_a_clear_message(data):
    with pytest.raises(InvalidInput) as refused:
        excel.read_rows(data, COLUMNS)
    assert refused.value.field == "file"
    assert refused.value.message


def test_a_zip_that_would_inflate_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(excel, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(InvalidInput, match="too large"):
        excel.read_rows(sheet(["单位名称", "统一社会信用代码"], *[["甲" * 50, "X"]] * 20), COLUMNS)


def test_a_sheet_of_endless_empty_rows_is_refused_without_reading_them_all(monkeypatch):
    monkeypatch.setattr(excel, "MAX_EMPTY_ROWS", 50)
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.append(["单位名称", "统一社会信用代码"])
    worksheet.append(["甲", "X"])
    for number in range(3, 60):
        worksheet.cell(number, 1, " ")  # a cell with nothing in it still makes a row
    worksheet.cell(1_000_000, 1, "乙")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(InvalidInput, match="empty rows"):
        excel.read_rows(buffer.getvalue(), COLUMNS)


def test_rows_past_a_wrongly_declared_sheet_size_are_still_read():
    data = sheet(["单位名称", "统一社会信用代码"], *[[f"单位{i}", "X"] for i in range(10)])
    with zipfile.ZipFile(io.BytesIO(data)) as original:
        members = {name: original.read(name) for name in original.namelist()}
    sheet_xml = "xl/worksheets/sheet1.xml"
    members[sheet_xml] = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:B2"', members[sheet_xml])
    assert b'<dimension ref="A1:B2"' in members[sheet_xml]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as rewritten:
        for name, content in members.items():
            rewritten.writestr(name, content)
    assert len(excel.read_rows(buffer.getvalue(), COLUMNS)) == 10
