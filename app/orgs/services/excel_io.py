"""Member units in Excel: the import template, checking and importing a file, the export.

An import is all or nothing: `check_import` lists every bad cell of every row (row number
as Excel shows it, column header, reason), and `import_units` checks the file again and
creates every unit in one transaction, or none when any row is bad.

Column headers and unit-type names are Chinese in the file whatever the page's language:
they are the data people type, and must read back the same everywhere.
"""
from __future__ import annotations

import logging
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit, excel, ids
from app.core.errors import Conflict, InvalidInput
from app.core.excel import CellError, CheckedFile, Column, RowsRefused, SheetRow
from app.core.permissions import require
from app.extensions import db
from app.orgs.models import Organisation, OrgType
from app.orgs.services import units

log = logging.getLogger(__name__)

SHEET_TITLE = "会员单位"
NOTES_TITLE = "填写说明"

NAME, CREDIT_CODE, PROVINCE, CITY, ORG_TYPE = "单位名称", "统一社会信用代码", "省份", "城市", "单位类型"
CONTACT_NAME, CONTACT_PHONE, CONTACT_EMAIL, ADDRESS = "联系人", "联系电话", "联系邮箱", "地址"

COLUMNS = (
    Column(NAME, required=True),
    Column(CREDIT_CODE, required=True, text_code=True),
    Column(PROVINCE, required=True),
    Column(CITY),
    Column(ORG_TYPE, required=True),
    Column(CONTACT_NAME),
    Column(CONTACT_PHONE, text_code=True),
    Column(CONTACT_EMAIL),
    Column(ADDRESS),
)
HEADERS = [column.header for column in COLUMNS]
TEXT_COLUMNS = [column.header for column in COLUMNS if column.text_code]

# Which column holds each field of units.OrgFields, to put a service's error where it belongs.
FIELD_COLUMNS = {
    "name": NAME, "credit_code": CREDIT_CODE, "province": PROVINCE, "city": CITY,
    "org_type": ORG_TYPE, "contact_name": CONTACT_NAME, "contact_phone": CONTACT_PHONE,
    "contact_email": CONTACT_EMAIL, "address": ADDRESS,
}
COLUMN_FIELDS = {column: name for name, column in FIELD_COLUMNS.items()}

TYPE_LABELS = {
    OrgType.ENTERPRISE: "企业",
    OrgType.PUBLIC_INSTITUTION: "事业单位",
    OrgType.GOVERNMENT: "机关",
    OrgType.SOCIAL_ORGANISATION: "社会团体",
    OrgType.SCHOOL: "院校",
    OrgType.OTHER: "其他",
}
_TYPES_BY_TEXT = {label: org_type for org_type, label in TYPE_LABELS.items()} | {
    org_type.value: org_type for org_type in OrgType}

# Valid values put in place of a field already found bad, so `units.clean` goes on to
# report the row's next bad field: a person fixes the whole row in one pass.
_STAND_INS = {
    "name": "-", "credit_code": "91110000000000000" + ids.credit_code_check_char("91110000000000000"),
    "province": "-", "org_type": OrgType.OTHER, "city": None, "contact_name": None,
    "contact_phone": None, "contact_email": None, "address": None,
}


@dataclass
class ImportRow:
    """A row that passed every check: the normalised fields of the unit it will create."""

    number: int
    fields: units.OrgFields
    stored_as_number: set[str] = field(default_factory=set)


@dataclass
class ImportCheck(CheckedFile):
    """What a file would import: its good rows, and every problem of the bad ones."""

    rows: list[ImportRow]
    errors: list[CellError]


def type_label(org_type: OrgType) -> str:
    return TYPE_LABELS[org_type]


def template_workbook() -> bytes:
    """The import template: the header row, and a second sheet explaining each column.

    It holds no example row, so nothing can be imported from it by accident.
    """
    # Written in Chinese whatever the page's language: it explains the Chinese headers.
    notes = [
        ["列", "是否必填", "说明"],
        [NAME, "必填", "单位全称，最多 128 个字；同一文件内及系统中不得重复。"],
        [CREDIT_CODE, "必填", "18 位统一社会信用代码。请先将该列设为文本格式，否则 Excel 会把数字改成科学计数法而丢失位数。"],
        [PROVINCE, "必填", "如：北京市、广东省。"],
        [CITY, "选填", "如：广州市。"],
        [ORG_TYPE, "必填", "填写以下之一：" + "、".join(TYPE_LABELS.values())],
        [CONTACT_NAME, "选填", ""],
        [CONTACT_PHONE, "选填", "手机号码；请将该列设为文本格式。"],
        [CONTACT_EMAIL, "选填", ""],
        [ADDRESS, "选填", ""],
        [],
        ["从第 2 行起每行一个单位，最多 %d 行。只要有一行有误，整个文件都不会导入；系统会列出每一行的问题。" % excel.MAX_ROWS],
    ]
    return excel.write_workbook(HEADERS, [], SHEET_TITLE, text_columns=TEXT_COLUMNS,
                                choices={ORG_TYPE: list(TYPE_LABELS.values())},
                                extra_sheets=[(NOTES_TITLE, notes)])


def check_import(data: bytes) -> ImportCheck:
    """Every row of the uploaded file checked; raises InvalidInput when the file itself is unusable."""
    sheet_rows = excel.read_rows(data, COLUMNS, sheet=SHEET_TITLE)
    if not sheet_rows:
        raise InvalidInput(_("The file has no rows to import: fill in one unit per row under the headers."),
                           field="file")
    checked = [_check_row(row) for row in sheet_rows]
    _refuse_duplicates_in_file(checked)
    _refuse_duplicates_in_database(checked)
    order = {header: position for position, header in enumerate(HEADERS)}
    errors = sorted((error for row, _fields, _bad in checked for error in row.errors),
                    key=lambda error: (error.row, order.get(error.column, len(order))))
    good = [ImportRow(row.number, fields, row.stored_as_number)
            for row, fields, _bad in checked if not row.errors]
    return ImportCheck(rows=good, errors=errors)


def import_units(data: bytes, *, actor) -> int:
    """Check the file again and create all its units in one transaction; returns how many.

    Raises RowsRefused (listing every bad cell) when any row is bad, Conflict naming the row
    when another writer added one of the units meanwhile; either way nothing is kept (the
    caller rolls back).
    """
    require(actor, "orgs.import")
    check = check_import(data)  # never trust an earlier preview: the database may have changed
    if not check.is_clean:
        raise RowsRefused(_("%(count)d rows have problems, so nothing was imported.", count=check.bad_row_count),
                          check.errors)
    created: list[Organisation] = []
    for row in check.rows:
        try:
            created.append(units.create_organisation(row.fields, actor=actor))
        except (Conflict, InvalidInput) as error:  # the database changed since the check
            raise type(error)(_("Row %(row)d: %(reason)s", row=row.number, reason=error.message),
                              field=error.field) from None
    audit.record("organisation.imported", actor=actor,
                 after={"count": len(created), "organisation_ids": [org.id for org in created]})
    log.info("%d organisations imported by user %s", len(created), getattr(actor, "id", None))
    return len(created)


def export_units(user) -> bytes:
    """The units `user` may see (all for staff, their own for a liaison), in the import layout."""
    rows = [
        [org.name, org.credit_code, org.province, org.city, type_label(org.org_type), org.contact_name,
         org.contact_phone, org.contact_email, org.address]
        for org in db.session.scalars(units.visible_organisations(user))
    ]
    log.info("%d organisations exported by user %s", len(rows), getattr(user, "id", None))
    return excel.write_workbook(HEADERS, rows, SHEET_TITLE, text_columns=TEXT_COLUMNS)


# --- checking one row ----------------------------------------------------------------------

def _check_row(row: SheetRow) -> tuple[SheetRow, units.OrgFields, set[str]]:
    """The row's normalised fields (stand-ins where bad) and the names of its bad fields."""
    bad = {COLUMN_FIELDS[error.column] for error in row.errors if error.column in COLUMN_FIELDS}
    org_type = _org_type(row[ORG_TYPE])
    if row[ORG_TYPE] is not None and org_type is None:
        row.refuse(ORG_TYPE, _("Unknown type of unit “%(value)s”; use one of: %(types)s.",
                               value=row[ORG_TYPE], types="、".join(TYPE_LABELS.values())))
        bad.add("org_type")
    fields = units.OrgFields(
        name=row[NAME] or "", credit_code=row[CREDIT_CODE] or "", province=row[PROVINCE] or "",
        org_type=org_type, city=row[CITY], contact_name=row[CONTACT_NAME], contact_phone=row[CONTACT_PHONE],
        contact_email=row[CONTACT_EMAIL], address=row[ADDRESS])
    for _attempt in range(len(_STAND_INS) + 1):
        try:
            return row, units.clean(replace(fields, **{name: _STAND_INS[name] for name in bad})), bad
        except InvalidInput as error:
            if error.field not in _STAND_INS or error.field in bad:  # cannot step past it: report and stop
                row.refuse(FIELD_COLUMNS.get(error.field, NAME), error.message)
                break
            row.refuse(FIELD_COLUMNS[error.field], error.message)
            bad.add(error.field)
    return row, replace(fields, **{name: _STAND_INS[name] for name in _STAND_INS}), set(_STAND_INS)


def _org_type(text: str | None) -> OrgType | None:
    if text is None:
        return None
    key = "".join(unicodedata.normalize("NFKC", text).split())
    return _TYPES_BY_TEXT.get(key) or _TYPES_BY_TEXT.get(key.lower())


def _refuse_duplicates_in_file(checked) -> None:
    """Two rows with one credit code, or one name: each names the others."""
    for field_name in ("credit_code", "name"):
        rows_by_value: dict[str, list[SheetRow]] = defaultdict(list)
        for row, fields, bad in checked:
            if field_name not in bad:
                rows_by_value[getattr(fields, field_name)].append(row)
        for rows in rows_by_value.values():
            for row in rows if len(rows) > 1 else ():
                others = "、".join(str(other.number) for other in rows if other is not row)
                if field_name == "credit_code":
                    row.refuse(CREDIT_CODE, _("The same credit code is also in row %(rows)s.", rows=others))
                else:
                    row.refuse(NAME, _("The same unit name is also in row %(rows)s.", rows=others))


def _refuse_duplicates_in_database(checked) -> None:
    """Rows whose credit code or name a stored unit already has.

    One query per column for the whole file, rather than `units.duplicate_of` per row (two
    queries each, up to 5,000 rows); it reports a row that repeats both. The same equality
    rule, and `units.create_organisation` checks each unit again when the import runs.
    """
    for field_name, message in (("credit_code", _("A unit with this credit code already exists.")),
                                ("name", _("A unit with this name already exists."))):
        values = {getattr(fields, field_name) for _row, fields, bad in checked if field_name not in bad}
        stored = _stored_values(getattr(Organisation, field_name), values)
        for row, fields, bad in checked:
            if field_name not in bad and getattr(fields, field_name) in stored:
                row.refuse(FIELD_COLUMNS[field_name], message)


def _stored_values(column, values: set[str], chunk: int = 500) -> set[str]:
    ordered = sorted(values)
    found: set[str] = set()
    for start in range(0, len(ordered), chunk):
        found.update(db.session.scalars(select(column).where(column.in_(ordered[start:start + chunk]))))
    return found
