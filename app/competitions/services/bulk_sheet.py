"""The layout of a bulk registration file: its columns (one more per extra question of the
event), the template staff and liaisons download, and the error report of a refused file.

Column headers and ID-type names are Chinese in the file whatever the page's language:
they are data people type.
"""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from app.competitions.models import Event
from app.core import excel, ids
from app.core.excel import Column

if TYPE_CHECKING:
    from app.competitions.services.bulk import BulkCheck

SHEET_TITLE = "报名名单"
NOTES_TITLE = "填写说明"
ERRORS_HEADER = "错误"
ROW_HEADER = "原行号"

NAME, ID_TYPE, ID_NUMBER, PHONE = "姓名", "证件类型", "证件号码", "手机号"
BASE_COLUMNS = (
    Column(NAME, required=True),
    Column(ID_TYPE),  # blank or absent: a resident ID card
    Column(ID_NUMBER, required=True, text_code=True),
    Column(PHONE, text_code=True),
)
BASE_HEADERS = [column.header for column in BASE_COLUMNS]
TEXT_COLUMNS = [column.header for column in BASE_COLUMNS if column.text_code]
MAX_ANSWER_LENGTH = 500  # as on the registration form

ID_TYPE_LABELS = {
    ids.IdType.RESIDENT_ID: "居民身份证",
    ids.IdType.PASSPORT: "护照",
    ids.IdType.HK_MACAO_PERMIT: "港澳居民来往内地通行证",
    ids.IdType.TAIWAN_PERMIT: "台湾居民来往大陆通行证",
}

def questions_of(event: Event) -> list[str]:
    """The event's extra questions that get a column of their own (one per label)."""
    seen = set(BASE_HEADERS)
    found = []
    for label in event.required_fields or ():
        if label not in seen:
            seen.add(label)
            found.append(label)
    return found


def columns_of(event: Event) -> list[Column]:
    return [*BASE_COLUMNS, *(Column(label, required=True) for label in questions_of(event))]


def headers_of(event: Event) -> list[str]:
    return [column.header for column in columns_of(event)]


def id_type_label(id_type: ids.IdType) -> str:
    return ID_TYPE_LABELS[id_type]


def template_workbook(event: Event) -> bytes:
    """The event's registration template: the header row (with a column per extra question),
    and a sheet explaining every column. It holds no example row, so nothing is entered by accident."""
    # Written in Chinese whatever the page's language: it explains the Chinese headers.
    notes = [
        ["赛项", f"{event.competition.name} · {event.name}（{event.code}）"],
        [],
        ["列", "是否必填", "说明"],
        [NAME, "必填", "与证件上的姓名一致，最多 64 个字。"],
        [ID_TYPE, "选填", "填写以下之一：" + "、".join(ID_TYPE_LABELS.values()) + "；不填即为居民身份证。"],
        [ID_NUMBER, "必填", "请先将该列设为文本格式，否则 Excel 会把身份证号变成科学计数法而丢失位数（末位的 X 也会丢失）。"
                          "系统中没有此证件号码的人员，将作为本单位人员新建；属于其他单位的人员不能由本单位报名。"],
        [PHONE, "选填", "11 位手机号码；仅用于新建人员。请将该列设为文本格式。"],
        *([question, "必填", "本赛项的报名问题。"] for question in questions_of(event)),
        [],
        ["从第 2 行起每行一人，最多 %d 行。只要有一行有误，整个文件都不会报名；系统会列出每一行的问题，"
         "并可下载错误报告（报告中的证件号码已隐去部分数字，请在原文件中改正后再次上传）。"
         "名额和单位配额按文件中的先后顺序分配。" % excel.MAX_ROWS],
    ]
    return excel.write_workbook(headers_of(event), [], SHEET_TITLE, text_columns=TEXT_COLUMNS,
                                choices={ID_TYPE: list(ID_TYPE_LABELS.values())},
                                extra_sheets=[(NOTES_TITLE, notes)])


def error_report(check: BulkCheck) -> bytes:
    """The file's rows as read, with their original row number and an error column.

    ID numbers are masked as everywhere we show them: a report is a file that travels (mail,
    shared drives), and the person fixing the rows has the numbers in their own file.
    """
    problems: dict[int, list[str]] = defaultdict(list)
    for error in check.errors:
        problems[error.row].append(f"{error.column}：{error.message}")
    rows = [[row.number, *(_shown(header, row[header]) for header in check.headers),
             "；".join(problems.get(row.number, []))] for row in check.sheet_rows]
    return excel.write_workbook([ROW_HEADER, *check.headers, ERRORS_HEADER], rows, SHEET_TITLE,
                                text_columns=TEXT_COLUMNS)


def _shown(header: str, value: str | None) -> str | None:
    return ids.mask_id_number(value) if header == ID_NUMBER and value else value
