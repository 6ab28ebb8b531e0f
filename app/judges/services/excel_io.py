"""The judge pool in Excel: the import template, checking and importing a file, the export.

An import is all or nothing, like the unit import (orgs.services.excel_io): `check_import`
lists every bad cell of every row (row number as Excel shows it, column header, reason),
and `import_judges` checks the file again — the preview is never trusted — and adds every
judge in one transaction, or none when any row is bad. A row whose ID number a person in the
system holds puts that person in the pool (the name must match; their record is kept); any
other row creates the person. ID numbers are read as text: a number Excel stored as a
fraction or in scientific notation has lost digits and is refused with the fix.

Headers and labels are Chinese in the file whatever the page's language: they are data.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person
from app.accounts.services import people
from app.core import audit, crypto, excel, identifiers, ids
from app.core.errors import DomainError, InvalidInput
from app.core.excel import CellError, CheckedFile, Column, ReadFromSheet, RowsRefused, SheetRow
from app.core.validation import credit_code_message, id_number_message
from app.extensions import db
from app.judges import validity
from app.judges.models import JudgeKind, JudgeLevel, JudgeProfile, Speciality
from app.judges.services import levels, pool, records
from app.orgs.models import Organisation

log = logging.getLogger(__name__)

SHEET_TITLE = "裁判专家库"
NOTES_TITLE = "填写说明"

NAME, ID_NUMBER, PHONE, EMAIL, UNIT_CODE = "姓名", "身份证号码", "手机号", "电子邮箱", "单位统一社会信用代码"
KIND, LEVEL, SPECIALITIES, REGION = "类别", "等级", "专业", "地区"
CERT_NUMBER, CERT_ISSUER, ISSUED_ON, EXPIRES_ON = "资格证书编号", "发证机构", "发证日期", "有效期至"

COLUMNS = (
    Column(NAME, required=True),
    Column(ID_NUMBER, required=True, text_code=True),
    Column(PHONE, text_code=True),
    Column(EMAIL),
    Column(UNIT_CODE, text_code=True),
    Column(KIND, required=True),
    Column(LEVEL, required=True),
    Column(SPECIALITIES, required=True),
    Column(REGION),
    Column(CERT_NUMBER, text_code=True),
    Column(CERT_ISSUER),
    Column(ISSUED_ON),
    Column(EXPIRES_ON),
)
HEADERS = [column.header for column in COLUMNS]
TEXT_COLUMNS = [column.header for column in COLUMNS if column.text_code]

KIND_LABELS = {JudgeKind.JUDGE: "裁判员", JudgeKind.EXPERT: "专家", JudgeKind.BOTH: "裁判员兼专家"}
_KINDS_BY_TEXT = {label: kind for kind, label in KIND_LABELS.items()} | {kind.value: kind for kind in JudgeKind}
STATE_LABELS = {validity.VALID: "有效", validity.EXPIRING: "90天内到期", validity.EXPIRED: "已过期",
                validity.NOT_YET_VALID: "尚未生效", validity.NONE: "无证书"}

# Trades in one cell: 电工、焊工 or 电工,焊工 (full-width commas and semicolons too).
_LIST_SEPARATORS = re.compile(r"[、,，;；/\s]+")
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
# A crafted file can smuggle control characters in (openpyxl decodes "_x0000_").
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def kind_label(kind: JudgeKind) -> str:
    return KIND_LABELS[kind]


def template_workbook() -> bytes:
    """The import template: the header row, and a sheet explaining each column (with the
    level and trade codes in use). No example row, so nothing is imported by accident."""
    level_list = "、".join(f"{level.code}（{level.name}）" for level in levels.all_levels())
    trade_list = "、".join(f"{trade.code}（{trade.name}）" for trade in levels.all_specialities())
    notes = [
        ["列", "是否必填", "说明"],
        [NAME, "必填", "与身份证上的姓名一致，最多 64 个字。"],
        [ID_NUMBER, "必填", "18 位居民身份证号码。请先将该列设为文本格式，否则 Excel 会把号码变成科学计数法而丢失位数"
                          "（末位的 X 也会丢失）。系统中已有此号码的人员将直接加入裁判专家库（姓名须一致），否则新建人员。"],
        [PHONE, "选填", "11 位手机号码；仅用于新建人员。请将该列设为文本格式。"],
        [EMAIL, "选填", "仅用于新建人员。"],
        [UNIT_CODE, "选填", "所在会员单位的 18 位统一社会信用代码；该单位须已在系统中。"],
        [KIND, "必填", "填写以下之一：" + "、".join(KIND_LABELS.values())],
        [LEVEL, "必填", "等级代码或名称：" + (level_list or "（尚未设置）")],
        [SPECIALITIES, "必填", "专业代码或名称，多个用“、”或“,”分隔：" + (trade_list or "（尚未设置）")],
        [REGION, "选填", "所在省份，如：江苏省；不填则取所在单位的省份。"],
        [CERT_NUMBER, "选填", "裁判员资格证书编号；填写证书时，编号、发证机构和发证日期都必须填写。请将该列设为文本格式。"],
        [CERT_ISSUER, "选填", ""],
        [ISSUED_ON, "选填", "日期，如 2024-05-01；不能晚于今天。"],
        [EXPIRES_ON, "选填", "证书有效期的最后一天，如 2028-04-30；长期有效则不填。"],
        [],
        ["从第 2 行起每行一人，最多 %d 行。只要有一行有误，整个文件都不会导入；系统会列出每一行的问题。" % excel.MAX_ROWS],
    ]
    return excel.write_workbook(HEADERS, [], SHEET_TITLE, text_columns=TEXT_COLUMNS,
                                choices={KIND: list(KIND_LABELS.values())}, extra_sheets=[(NOTES_TITLE, notes)])


# --- checking a file -----------------------------------------------------------------------------

@dataclass
class ImportRow(ReadFromSheet):
    """One row, read and normalised; `person` is None for someone to be created."""

    number: int
    sheet_row: SheetRow
    full_name: str = ""
    id_number: str | None = None
    phone: str | None = None
    email: str | None = None
    organisation: Organisation | None = None
    kind: JudgeKind | None = None
    level: JudgeLevel | None = None
    specialities: list[Speciality] = field(default_factory=list)
    region: str | None = None
    qualification: records.QualificationFields | None = None
    person: Person | None = None

    @property
    def id_masked(self) -> str:
        return ids.mask_id_number(self.id_number) if self.id_number else ""


@dataclass
class ImportCheck(CheckedFile):
    rows: list[ImportRow]           # the good rows, in the file's order
    errors: list[CellError]


def check_import(data: bytes, *, today: date) -> ImportCheck:
    """Every row of the uploaded file checked; raises InvalidInput when the file itself is unusable."""
    sheet_rows = excel.read_rows(data, COLUMNS, sheet=SHEET_TITLE)
    if not sheet_rows:
        raise InvalidInput(_("The file has no rows to import: fill in one judge per row under the headers."),
                           field="file")
    lists = _Lists.load()
    rows = [_read(row, lists, today) for row in sheet_rows]
    _find_units(rows)
    _refuse_repeats(rows)
    _match_people(rows)
    order = {header: position for position, header in enumerate(HEADERS)}
    errors = sorted((error for row in sheet_rows for error in row.errors),
                    key=lambda error: (error.row, order.get(error.column, len(order))))
    return ImportCheck(rows=[row for row in rows if not row.is_bad], errors=errors)


@dataclass
class _Lists:
    """The levels and trades, found by code (any case) or by name."""

    levels: dict[str, JudgeLevel]
    trades: dict[str, Speciality]

    @classmethod
    def load(cls) -> "_Lists":
        found_levels, found_trades = {}, {}
        for level in levels.all_levels():
            found_levels[_key(level.name)] = found_levels[_key(level.code)] = level
        for trade in levels.all_specialities():
            found_trades[_key(trade.name)] = found_trades[_key(trade.code)] = trade
        return cls(found_levels, found_trades)


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _text(value: str | None) -> str:
    return " ".join(_CONTROL_CHARACTERS.sub("", unicodedata.normalize("NFKC", value or "")).split())


def _read(sheet_row: SheetRow, lists: _Lists, today: date) -> ImportRow:
    """The row's fields, normalised; each bad cell refused on the row."""
    row = ImportRow(number=sheet_row.number, sheet_row=sheet_row)
    refused = {error.column for error in sheet_row.errors}  # cells excel.read_rows refused already

    row.full_name = " ".join(_CONTROL_CHARACTERS.sub("", sheet_row[NAME] or "").split())
    if not row.full_name:
        row.refuse(NAME, _("Please enter the name."))
    elif len(row.full_name) > 64:
        row.refuse(NAME, _("The name is too long (at most 64 characters)."))

    if sheet_row[ID_NUMBER] is None:
        if ID_NUMBER not in refused:
            row.refuse(ID_NUMBER, _("Please enter the ID number."))
    else:
        try:
            row.id_number = ids.validate_document(ids.IdType.RESIDENT_ID, sheet_row[ID_NUMBER])
        except ids.IdNumberError as error:
            message = id_number_message(error)
            if ID_NUMBER in sheet_row.stored_as_number:  # e.g. an X at the end that Excel dropped
                message += " " + _("Excel stored this cell as a number; format the column as text and "
                                   "enter the number again.")
            row.refuse(ID_NUMBER, message)

    if sheet_row[PHONE] is not None:
        try:
            row.phone = identifiers.normalise_phone(sheet_row[PHONE])
        except identifiers.IdentifierError:
            row.refuse(PHONE, _("Please enter a valid mobile phone number."))
    if sheet_row[EMAIL] is not None:
        try:
            row.email = identifiers.normalise_email(sheet_row[EMAIL])
        except identifiers.IdentifierError:
            row.refuse(EMAIL, _("Please enter a valid e-mail address."))

    row.kind = _KINDS_BY_TEXT.get(_key(sheet_row[KIND] or ""))
    if row.kind is None:
        row.refuse(KIND, _("Unknown kind “%(value)s”; use one of: %(kinds)s.", value=sheet_row[KIND] or "",
                           kinds="、".join(KIND_LABELS.values())))
    row.level = lists.levels.get(_key(sheet_row[LEVEL] or ""))
    if row.level is None:
        row.refuse(LEVEL, _("Unknown level “%(value)s”; use a level's code or name from the template's notes.",
                            value=sheet_row[LEVEL] or ""))
    _read_trades(row, lists)
    row.region = _text(sheet_row[REGION]) or None
    if row.region is not None and len(row.region) > 64:
        row.refuse(REGION, _("At most %(n)d characters.", n=64))
    _read_certificate(row, refused, today)
    return row


def _read_trades(row: ImportRow, lists: _Lists) -> None:
    names = [name for name in _LIST_SEPARATORS.split(unicodedata.normalize("NFKC", row.sheet_row[SPECIALITIES] or ""))
             if name]
    if not names:
        row.refuse(SPECIALITIES, _("Please enter at least one trade."))
        return
    unknown = [name for name in names if _key(name) not in lists.trades]
    if unknown:
        row.refuse(SPECIALITIES, _("Unknown trade “%(value)s”; use a trade's code or name from the template's notes.",
                                   value="、".join(unknown)))
        return
    row.specialities = list({lists.trades[_key(name)].id: lists.trades[_key(name)] for name in names}.values())


def parse_date(text: str | None) -> date | None:
    """A date as people type it in a sheet: 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日 or
    20240501 (full-width digits too). None when empty; raises ValueError when not a date."""
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", text).strip()
    match = _DATE_TEXT.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is None:
        raise ValueError(text)
    return date(*(int(part) for part in match.groups()))


def _read_certificate(row: ImportRow, refused: set[str], today: date) -> None:
    """The row's certificate, if it names one: number, issuer and date of issue together."""
    sheet_row = row.sheet_row
    if CERT_NUMBER in refused:  # digits lost to Excel: refused already, nothing to add
        return
    dates = {}
    for header in (ISSUED_ON, EXPIRES_ON):
        try:
            dates[header] = parse_date(sheet_row[header])
        except ValueError:
            row.refuse(header, _("Not a date; write it as 2024-05-01."))
            return
    if all(value is None for value in (sheet_row[CERT_NUMBER], sheet_row[CERT_ISSUER], *dates.values())):
        return
    fields = records.QualificationFields(number=sheet_row[CERT_NUMBER], issuer=sheet_row[CERT_ISSUER],
                                         issued_on=dates[ISSUED_ON], expires_on=dates[EXPIRES_ON])
    try:
        row.qualification = records.clean_qualification(fields, today)
    except InvalidInput as error:
        columns = {"number": CERT_NUMBER, "issuer": CERT_ISSUER, "issued_on": ISSUED_ON, "expires_on": EXPIRES_ON}
        for field, message in error.problems:  # every problem of the certificate at once
            row.refuse(columns.get(field, CERT_NUMBER), message)


def _find_units(rows: list[ImportRow]) -> None:
    codes: dict[str, list[ImportRow]] = defaultdict(list)
    for row in rows:
        raw = row.sheet_row[UNIT_CODE]
        if raw is None:
            continue
        try:
            codes[ids.parse_credit_code(raw)].append(row)
        except ids.CreditCodeError as error:
            row.refuse(UNIT_CODE, credit_code_message(error))
    found = {org.credit_code: org for org in db.session.scalars(
        select(Organisation).where(Organisation.credit_code.in_(sorted(codes))))} if codes else {}
    for code, same in codes.items():
        for row in same:
            row.organisation = found.get(code)
            if row.organisation is None:
                row.refuse(UNIT_CODE, _("No member unit has this credit code; add the unit first."))


def _refuse_repeats(rows: list[ImportRow]) -> None:
    """Two rows with one ID number: each names the others."""
    by_number: dict[str, list[ImportRow]] = defaultdict(list)
    for row in rows:
        if row.id_number is not None:
            by_number[row.id_number].append(row)
    for same in by_number.values():
        for row in same if len(same) > 1 else ():
            others = "、".join(str(other.number) for other in same if other is not row)
            row.refuse(ID_NUMBER, _("The same ID number is also in row %(rows)s.", rows=others))


def _match_people(rows: list[ImportRow]) -> None:
    """Find each row's person by the keyed hash of the ID number (one query per 500 rows)."""
    rows_by_hash: dict[str, list[ImportRow]] = defaultdict(list)
    for row in rows:
        if row.id_number is not None:
            rows_by_hash[crypto.keyed_hash(ids.IdType.RESIDENT_ID.value, row.id_number)].append(row)
    found: dict[str, Person] = {}
    ordered = sorted(rows_by_hash)
    for start in range(0, len(ordered), 500):
        found.update((person.id_hash, person) for person in db.session.scalars(
            select(Person).where(Person.id_hash.in_(ordered[start:start + 500]))))
    in_pool = set(db.session.scalars(select(JudgeProfile.person_id).where(
        JudgeProfile.person_id.in_([person.id for person in found.values()])))) if found else set()
    for id_hash, same in rows_by_hash.items():
        person = found.get(id_hash)
        for row in same if person is not None else ():
            row.person = person
            if person.id in in_pool:
                row.refuse(ID_NUMBER, _("This person is already in the judge pool."))
            if row.full_name and pool.name_key(row.full_name) != pool.name_key(person.full_name):
                row.refuse(NAME, _("The person with this ID number is “%(name)s” in the system.",
                                   name=person.full_name))
            if row.organisation is not None and row.organisation.id != person.organisation_id:
                row.refuse(UNIT_CODE, _("In the system this person belongs to another unit (or to none); "
                                        "change their unit on their page first."))


# --- importing -----------------------------------------------------------------------------------

def import_judges(data: bytes, *, actor, today: date) -> int:
    """Check the file again and add every judge in one transaction; returns how many.

    Raises RowsRefused (listing every bad cell) when any row is bad, or the DomainError of
    the first row a service refuses, naming the row (the world changed since the check, e.g.
    someone in the file was added meanwhile); either way the caller rolls back, so nothing is
    added and nobody is created.
    """
    pool.require_manager(actor)
    check = check_import(data, today=today)
    if not check.is_clean:
        raise RowsRefused(_("%(count)d rows have problems, so nothing was imported.", count=check.bad_row_count),
                          check.errors)
    profiles: list[JudgeProfile] = []
    created = 0
    for row in check.rows:
        try:
            person = row.person
            if person is None:
                person = people.create_person(people.PersonFields(
                    full_name=row.full_name, id_type=ids.IdType.RESIDENT_ID, id_number=row.id_number,
                    phone=row.phone, email=row.email,
                    organisation_id=row.organisation.id if row.organisation else None), actor=actor)
                created += 1
            profile = pool.create_profile(person, pool.ProfileFields(
                kind=row.kind, level_id=row.level.id, speciality_ids=[s.id for s in row.specialities],
                region=row.region), actor=actor)
            if row.qualification is not None:
                records.add_qualification(profile, row.qualification, actor=actor, today=today)
            profiles.append(profile)
        except DomainError as error:
            raise type(error)(_("Row %(row)d: %(reason)s", row=row.number, reason=error.message),
                              field=error.field) from None
    audit.record("judge.imported", actor=actor, after={"count": len(profiles), "people_created": created,
                                                       "profile_ids": [p.id for p in profiles]})
    log.info("%d judges (%d new people) imported by user %s", len(profiles), created, getattr(actor, "id", None))
    return len(profiles)
