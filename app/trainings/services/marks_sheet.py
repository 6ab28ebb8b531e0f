"""Assessment marks from Excel, all or nothing.

The organiser downloads the class's sheet — one row per enrolled trainee (name, unit, the
masked ID number everyone is shown), one column per assessment, with the marks already
recorded — fills it in and uploads it. `check_file` lists every bad cell (the row number
Excel shows, the column, the reason); `import_file` checks again and stores every mark in
the caller's one transaction, or raises RowsRefused and stores none. A trainee is found by
name and masked ID number together; an empty cell leaves the mark as it was. Reading and
writing the sheet is app.core.excel's.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from app.core import excel
from app.core.errors import InvalidInput
from app.core.excel import CellError, CheckedFile, Column, RowsRefused
from app.core.permissions import require
from app.trainings.models import Assessment, Enrolment, TrainingClass
from app.trainings.services import assessments
from app.trainings.services.access import MANAGE, class_scope

SHEET_TITLE = "考核成绩"
NAME, UNIT, ID_MASKED = "姓名", "单位", "证件号码"


def _assessment_header(assessment: Assessment) -> str:
    return f"{assessment.title}（满分{assessment.max_mark.normalize():f}）"


def _key(name: str | None, masked: str | None) -> tuple[str, str]:
    def norm(text: str | None) -> str:
        return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()
    return norm(name), norm(masked)


def workbook(training_class: TrainingClass) -> bytes:
    """The class's sheet of marks, filled in with what is recorded so far."""
    rows_of_class = assessments.trainees(training_class)
    marks = assessments.marks_of(training_class)
    headers = [NAME, UNIT, ID_MASKED] + [_assessment_header(a) for a in training_class.assessments]
    rows = [[row.person.full_name, row.organisation.name if row.organisation else "", row.person.id_masked or ""]
            + [marks.get((a.id, row.person_id)) for a in training_class.assessments] for row in rows_of_class]
    notes = [["说明"], ["每位学员一行；请只填写成绩列，姓名和证件号码用于找到学员，请勿修改。"],
             ["成绩为 0 到满分之间的数字，最多两位小数；留空的单元格保留原成绩。"],
             ["只要有一个单元格有误，整个文件都不会保存；系统会列出每一处问题。"]]
    return excel.write_workbook(headers, rows, SHEET_TITLE, text_columns=[ID_MASKED],
                                extra_sheets=[("填写说明", notes)])


@dataclass
class MarksCheck(CheckedFile):
    """What a file would store: (assessment, enrolment, mark) for every filled cell, and every problem."""

    marks: list[tuple[Assessment, Enrolment, Decimal]]
    errors: list[CellError] = field(default_factory=list)


def check_file(data: bytes, training_class: TrainingClass, *, actor) -> MarksCheck:
    """Every cell checked. Raises PermissionDenied, Locked, InvalidInput when the file itself is unusable."""
    require(actor, MANAGE, class_scope(training_class))
    assessments.require_not_closed(training_class)
    if not training_class.assessments:
        raise InvalidInput(_("The class has no assessments yet: add them first."), field="file")
    columns = {_assessment_header(a): a for a in training_class.assessments}
    sheet_rows = excel.read_rows(data, [Column(NAME, required=True), Column(ID_MASKED, required=True, text_code=True)]
                                 + [Column(header) for header in columns], sheet=SHEET_TITLE)
    if not sheet_rows:
        raise InvalidInput(_("The file has no rows: fill in one trainee per row under the headers."), field="file")
    by_key: dict[tuple[str, str], list[Enrolment]] = {}
    for row in assessments.trainees(training_class):
        by_key.setdefault(_key(row.person.full_name, row.person.id_masked), []).append(row)
    found, seen = [], {}
    for sheet_row in sheet_rows:
        matches = by_key.get(_key(sheet_row[NAME], sheet_row[ID_MASKED]), [])
        if not matches:
            sheet_row.refuse(NAME, _("No enrolled trainee of this class has this name and ID number."))
            continue
        if len(matches) > 1:
            sheet_row.refuse(NAME, _("Two trainees have this name and ID number: enter their marks on the page."))
            continue
        enrolment = matches[0]
        if enrolment.id in seen:
            sheet_row.refuse(NAME, _("The same trainee is also in row %(row)d.", row=seen[enrolment.id]))
            continue
        seen[enrolment.id] = sheet_row.number
        for header, assessment in columns.items():
            try:
                mark = assessments.parse_mark(sheet_row[header], assessment)
            except InvalidInput as error:
                sheet_row.refuse(header, error.message)
                continue
            if mark is not None:
                found.append((assessment, enrolment, mark))
    order = {header: position for position, header in enumerate([NAME, UNIT, ID_MASKED, *columns])}
    errors = sorted((error for row in sheet_rows for error in row.errors),
                    key=lambda error: (error.row, order.get(error.column, len(order))))
    return MarksCheck(marks=found if not errors else [], errors=errors)


def import_file(data: bytes, training_class: TrainingClass, *, actor) -> int:
    """Check the file again and store every mark; returns how many changed. Raises RowsRefused
    (every bad cell) when any is bad: nothing is stored."""
    check = check_file(data, training_class, actor=actor)
    if not check.is_clean:
        raise RowsRefused(_("%(count)d rows have problems, so no mark was stored.", count=check.bad_row_count),
                          check.errors)
    by_assessment: dict[Assessment, dict[Enrolment, Decimal]] = {}
    for assessment, enrolment, mark in check.marks:
        by_assessment.setdefault(assessment, {})[enrolment] = mark
    return sum(assessments.store_marks(assessment, marks, actor=actor) for assessment, marks in by_assessment.items())
