"""The pool in Excel: the template, checking a file row by row, the all-or-nothing import,
and the export (masked IDs, formula-safe)."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.accounts.models import Person
from app.core import ids
from app.core.audit import AuditEntry
from app.core.errors import PermissionDenied
from app.core.excel import RowsRefused
from app.judges.models import JudgeKind, JudgeProfile, Qualification
from app.judges.services import excel_io, export, pool
from tests.factories import CommitteeFactory, OrganisationFactory, PersonFactory, credit_code, resident_id, staff
from tests.judges.factories import JudgeFactory, QualificationFactory, SpecialityFactory, level

TODAY = date(2026, 6, 1)
HEADERS = ["姓名", "身份证号码", "手机号", "电子邮箱", "单位统一社会信用代码", "类别", "等级", "专业", "地区",
           "资格证书编号", "发证机构", "发证日期", "有效期至"]
DIGITS_LOST = "format the column as text"


@pytest.fixture(autouse=True)
def _english(app):
    with force_locale("en"):
        yield


@pytest.fixture
def trades(db):
    level("national"), level("provincial")
    return SpecialityFactory(code="electrician", name="电工"), SpecialityFactory(code="welder", name="焊工")


def judge_row(n: int, **cells) -> list:
    """A good row for judge `n`, with the named cells replaced."""
    row = {"name": f"导入裁判{n}", "id": resident_id(100 + n), "phone": "13800138000", "email": f"j{n}@example.org",
           "unit": None, "kind": "裁判员", "level": "national", "trades": "electrician、welder", "region": "广东省",
           "number": f"CJ-{n:04d}", "issuer": "中国职工技术协会", "issued": date(2024, 1, 1), "expires": date(2028, 12, 31)}
    row.update(cells)
    return list(row.values())


def judge_file(*rows, headers=HEADERS, title="裁判专家库") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_of(check) -> dict[tuple[int, str], str]:
    return {(error.row, error.column): error.message for error in check.errors}


def count(db, model) -> int:
    return db.session.scalar(select(func.count(model.id)))


# --- the template --------------------------------------------------------------------------------

def test_the_template_has_the_headers_the_codes_in_use_and_no_row(trades):
    workbook = load_workbook(io.BytesIO(excel_io.template_workbook()))
    sheet = workbook["裁判专家库"]
    assert [cell.value for cell in sheet[1]] == HEADERS and sheet.max_row == 1
    notes = " ".join(str(cell.value) for row in workbook["填写说明"].iter_rows() for cell in row if cell.value)
    assert "electrician（电工）" in notes and "national（国家级）" in notes
    with pytest.raises(Exception, match="no rows"):
        excel_io.check_import(excel_io.template_workbook(), today=TODAY)


# --- checking ------------------------------------------------------------------------------------

def test_a_good_file_is_read_into_judges_with_their_certificates(db, trades):
    unit = OrganisationFactory(credit_code=credit_code(501))
    check = excel_io.check_import(judge_file(judge_row(1, unit=credit_code(501)), judge_row(2, number=None, issuer=None,
                                                                                           issued=None, expires=None)),
                                  today=TODAY)
    assert check.is_clean, check.errors
    first, second = check.rows
    assert first.organisation == unit and first.kind == JudgeKind.JUDGE and first.level.code == "national"
    assert [s.code for s in first.specialities] == ["electrician", "welder"]
    assert first.qualification.number == "CJ-0001" and second.qualification is None
    assert first.id_masked == ids.mask_id_number(resident_id(101))


def test_levels_trades_and_kinds_are_found_by_name_or_code_in_any_case(db, trades):
    check = excel_io.check_import(judge_file(judge_row(1, level="省级", trades="WELDER,电工", kind="judge")),
                                  today=TODAY)
    assert check.is_clean and check.rows[0].level.code == "provincial"
    assert sorted(s.code for s in check.rows[0].specialities) == ["electrician", "welder"]


def test_every_bad_cell_of_every_row_is_listed(db, trades):
    check = excel_io.check_import(judge_file(
        judge_row(1),
        judge_row(2, name=None, kind="裁判长", level="county", trades="木工"),
        judge_row(3, phone="123", email="not-mail", unit=credit_code(999)),
        judge_row(4, issued=date(2030, 1, 1), expires="明年"),
    ), today=TODAY)
    errors = errors_of(check)
    assert set(errors) == {(3, "姓名"), (3, "类别"), (3, "等级"), (3, "专业"), (4, "手机号"), (4, "电子邮箱"),
                           (4, "单位统一社会信用代码"), (5, "有效期至")}
    assert "木工" in errors[(3, "专业")] and "No member unit has this credit code" in errors[(4, "单位统一社会信用代码")]
    assert [row.number for row in check.rows] == [2]


def test_an_id_number_excel_turned_into_a_fraction_or_scientific_notation_is_refused(db, trades):
    check = excel_io.check_import(judge_file(judge_row(1, id=1.10105199001011e17), judge_row(2, id="1.10105E+17")),
                                  today=TODAY)
    errors = errors_of(check)
    assert DIGITS_LOST in errors[(2, "身份证号码")] and DIGITS_LOST in errors[(3, "身份证号码")]


def test_a_phone_number_excel_stored_as_a_whole_number_is_read_as_its_digits_and_flagged(db, trades):
    check = excel_io.check_import(judge_file(judge_row(1, phone=13800138000)), today=TODAY)
    assert check.rows[0].phone == "13800138000" and "手机号" in check.rows[0].stored_as_number


def test_full_width_characters_are_read_as_their_plain_forms(db, trades):
    wide = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    check = excel_io.check_import(judge_file(judge_row(
        1, id=resident_id(150).translate(wide), level="ＮＡＴＩＯＮＡＬ", trades="ｅｌｅｃｔｒｉｃｉａｎ，焊工",
        issued="２０２４年１月２日")), today=TODAY)
    assert check.is_clean, check.errors
    assert check.rows[0].id_number == resident_id(150) and check.rows[0].qualification.issued_on == date(2024, 1, 2)


def test_the_same_id_number_twice_names_both_rows(db, trades):
    check = excel_io.check_import(judge_file(judge_row(1), judge_row(2, id=resident_id(101))), today=TODAY)
    errors = errors_of(check)
    assert "row 3" in errors[(2, "身份证号码")] and "row 2" in errors[(3, "身份证号码")]


@pytest.mark.parametrize("cells, column, message", [
    ({"issued": "2024-02-30"}, "发证日期", "Not a date"),
    ({"issued": "yesterday"}, "发证日期", "Not a date"),
    ({"issued": datetime(2024, 1, 1, 9, 30)}, "发证日期", "Not a date"),
    ({"issued": date(2026, 6, 2)}, "发证日期", "cannot be in the future"),
    ({"expires": date(2023, 1, 1)}, "有效期至", "cannot expire before"),
    ({"issuer": None}, "发证机构", "who issued"),
    ({"number": None}, "资格证书编号", "certificate number"),
    ({"number": "2.024E+15"}, "资格证书编号", DIGITS_LOST),
])
def test_bad_certificates_are_refused_in_their_column(db, trades, cells, column, message):
    check = excel_io.check_import(judge_file(judge_row(1, **cells)), today=TODAY)
    assert message in errors_of(check)[(2, column)]


@pytest.mark.parametrize("text, day", [("2024-05-01", date(2024, 5, 1)), ("2024/5/1", date(2024, 5, 1)),
                                       ("2024.5.1", date(2024, 5, 1)), ("2024年5月1日", date(2024, 5, 1)),
                                       ("20240501", date(2024, 5, 1)), (None, None)])
def test_dates_are_read_as_people_type_them(text, day):
    assert excel_io.parse_date(text) == day


def test_people_in_the_system_join_the_pool_but_a_different_name_or_unit_is_refused(db, trades):
    PersonFactory(full_name="导入裁判1", number=resident_id(101))
    PersonFactory(full_name="别人", number=resident_id(102))
    PersonFactory(full_name="导入裁判3", number=resident_id(103))
    OrganisationFactory(credit_code=credit_code(7))
    JudgeFactory(person=PersonFactory(full_name="导入裁判4", number=resident_id(104)))
    check = excel_io.check_import(judge_file(judge_row(1), judge_row(2), judge_row(3, unit=credit_code(7)),
                                             judge_row(4)), today=TODAY)
    errors = errors_of(check)
    assert check.rows[0].person is not None and check.rows[0].number == 2
    assert "“别人”" in errors[(3, "姓名")]
    assert "another unit" in errors[(4, "单位统一社会信用代码")]
    assert "already in the judge pool" in errors[(5, "身份证号码")]


# --- importing -----------------------------------------------------------------------------------

def test_a_good_file_adds_every_judge_with_one_audit_line(db, trades):
    existing = PersonFactory(full_name="导入裁判2", number=resident_id(102))
    persons_before = count(db, Person)
    assert excel_io.import_judges(judge_file(judge_row(1), judge_row(2), judge_row(3, number=None, issuer=None,
                                                                                  issued=None, expires=None)),
                                  actor=staff(), today=TODAY) == 3
    assert count(db, JudgeProfile) == 3 and count(db, Qualification) == 2
    assert count(db, Person) == persons_before + 1 + 2  # the staff member and two new judges
    assert db.session.scalar(select(JudgeProfile).where(JudgeProfile.person_id == existing.id)).region == "广东省"
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "judge.imported")).one().after["count"] == 3


def test_one_bad_row_imports_nobody(db, trades):
    persons_before = count(db, Person)
    with pytest.raises(RowsRefused) as refused:
        excel_io.import_judges(judge_file(judge_row(1), judge_row(2, level="nope")), actor=staff(), today=TODAY)
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, "等级")]
    assert count(db, JudgeProfile) == 0 and count(db, Person) == persons_before + 1


def test_import_checks_again_and_a_judge_added_meanwhile_stops_the_file(db, trades):
    data = judge_file(judge_row(1), judge_row(2))
    assert excel_io.check_import(data, today=TODAY).is_clean
    JudgeFactory(person=PersonFactory(full_name="导入裁判2", number=resident_id(102)))
    with pytest.raises(RowsRefused):
        excel_io.import_judges(data, actor=staff(), today=TODAY)
    assert count(db, JudgeProfile) == 1


def test_only_association_staff_import(db, trades):
    with pytest.raises(PermissionDenied):
        excel_io.import_judges(judge_file(judge_row(1)), actor=staff(CommitteeFactory()), today=TODAY)


# --- exporting -----------------------------------------------------------------------------------

def test_the_export_masks_ids_and_neutralises_formulas(db, trades):
    judge = JudgeFactory(person=PersonFactory(full_name="=HYPERLINK(\"http://x\")", number=resident_id(120)),
                         region="+广东")
    QualificationFactory(profile=judge, number="-1+2", issuer="@协会", expires_on=date(2026, 7, 1))
    QualificationFactory(profile=judge, number="OLD", expires_on=date(2025, 1, 1))
    workbook = load_workbook(io.BytesIO(export.export_pool(pool.PoolFilter(), today=TODAY)))
    sheet = workbook["裁判专家库"]
    row = [cell.value for cell in sheet[2]]
    text = " ".join(str(v) for r in workbook.worksheets for line in r.iter_rows(values_only=True) for v in line if v)
    assert resident_id(120) not in text and ids.mask_id_number(resident_id(120)) in row
    for value in row:
        assert not (isinstance(value, str) and value[:1] in "=+-@"), value
    assert row[0] == "'=HYPERLINK(\"http://x\")" and row[11] == "90天内到期" and row[12] == "'-1+2"
    certificates = list(workbook["资格证书"].iter_rows(values_only=True))
    assert len(certificates) == 3 and certificates[2][-1] == "已过期"


def test_the_export_follows_the_filters(db, trades):
    JudgeFactory(person=PersonFactory(full_name="专家甲"), kind=JudgeKind.EXPERT)
    JudgeFactory(person=PersonFactory(full_name="裁判乙"))
    sheet = load_workbook(io.BytesIO(export.export_pool(pool.PoolFilter(kind=JudgeKind.EXPERT), today=TODAY))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["专家甲"]
