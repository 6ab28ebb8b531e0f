"""A unit's people enrolled in a class from an Excel file, all or nothing.

`check_file` lists every bad cell of every row (the row number Excel shows, the column, the
reason) and says what each good row would get as things stand (a place or the waiting list);
`enrol_file` checks the file again — the preview is never trusted — and enrols every row in
the caller's one transaction through `enrolment.enrol`, in the file's order, or raises when
any row is bad or any enrolment is refused (the caller rolls back: nobody is enrolled).
People are found by their ID document among the unit's people (the unit adds new people on
its people pages first). Reading the sheet is app.core.excel's.
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person
from app.core import audit, crypto, excel, ids
from app.core.errors import DomainError, InvalidInput
from app.core.excel import CellError, CheckedFile, Column, ReadFromSheet, RowsRefused, SheetRow
from app.core.permissions import Scope, ScopeType, has_permission, require
from app.core.validation import id_number_message
from app.extensions import db
from app.orgs.models import Organisation
from app.trainings.models import Enrolment, EnrolmentChannel, TrainingClass
from app.trainings.services import capacity, enrolment
from app.trainings.services.access import ENROL_UNIT, MANAGE, class_scope

SHEET_TITLE = "报名名单"
NAME, ID_TYPE, ID_NUMBER = "姓名", "证件类型", "证件号码"
COLUMNS = (Column(NAME, required=True), Column(ID_TYPE), Column(ID_NUMBER, required=True, text_code=True))
HEADERS = [column.header for column in COLUMNS]
ID_TYPE_LABELS = {ids.IdType.RESIDENT_ID: "居民身份证", ids.IdType.PASSPORT: "护照",
                  ids.IdType.HK_MACAO_PERMIT: "港澳居民来往内地通行证", ids.IdType.TAIWAN_PERMIT: "台湾居民来往大陆通行证"}
_ID_TYPES_BY_TEXT = {label: id_type for id_type, label in ID_TYPE_LABELS.items()} | {
    "身份证": ids.IdType.RESIDENT_ID} | {id_type.value: id_type for id_type in ids.IdType}


@dataclass
class SheetEntry(ReadFromSheet):
    number: int
    person: Person | None
    sheet_row: SheetRow
    id_key: str | None = None        # the keyed hash that finds the person by their document
    gets_seat: bool = True


@dataclass
class SheetCheck(CheckedFile):
    """What a file would enrol: its good rows in order, and every problem of the bad ones."""

    training_class: TrainingClass
    organisation: Organisation
    rows: list[SheetEntry]
    errors: list[CellError] = field(default_factory=list)

    @property
    def seats(self) -> int:
        return sum(1 for row in self.rows if row.gets_seat)

    @property
    def waiting(self) -> int:
        return len(self.rows) - self.seats


def template_workbook() -> bytes:
    """The empty list to fill in: one person a row."""
    notes = [["列", "是否必填", "说明"], [NAME, "必填", "与证件上的姓名一致。"],
             [ID_TYPE, "选填", "不填即为居民身份证。"],
             [ID_NUMBER, "必填", "请先将该列设为文本格式。人员须已在本单位人员名单中。"],
             [], ["只要有一行有误，整个文件都不会报名；系统会列出每一行的问题。名额和单位配额按文件中的先后顺序分配。"]]
    return excel.write_workbook(HEADERS, [], SHEET_TITLE, text_columns=[ID_NUMBER],
                                choices={ID_TYPE: list(ID_TYPE_LABELS.values())}, extra_sheets=[("填写说明", notes)])


def _check_actor(training_class: TrainingClass, organisation: Organisation, actor) -> None:
    if not has_permission(actor, MANAGE, class_scope(training_class)):
        require(actor, ENROL_UNIT, Scope.of(ScopeType.ORGANISATION, organisation.id))
        enrolment.check_open_for(training_class, EnrolmentChannel.EXCEL)
    else:
        enrolment.check_open_for(training_class, EnrolmentChannel.STAFF)


def check_file(data: bytes, training_class: TrainingClass, organisation: Organisation, *, actor) -> SheetCheck:
    """Every row checked against the class, the unit and the database. Raises PermissionDenied,
    Closed, InvalidInput when the file itself is unusable."""
    _check_actor(training_class, organisation, actor)
    sheet_rows = excel.read_rows(data, COLUMNS, sheet=SHEET_TITLE)
    if not sheet_rows:
        raise InvalidInput(_("The file has no rows: fill in one person per row under the headers."), field="file")
    entries = [_read(row) for row in sheet_rows]
    _match(entries, organisation)
    _refuse_repeats(entries)
    _refuse_enrolled(entries, training_class)
    for entry in entries:
        if entry.person is not None and not entry.is_bad:
            for message in enrolment.eligibility_problems(training_class, entry.person):
                entry.refuse(NAME, message)
    _refuse_over_quota(entries, training_class, organisation)
    good = [entry for entry in entries if not entry.is_bad]
    for position, entry in enumerate(good):
        entry.gets_seat = position < training_class.seats_left
    order = {header: position for position, header in enumerate(HEADERS)}
    errors = sorted((error for row in sheet_rows for error in row.errors),
                    key=lambda error: (error.row, order.get(error.column, len(order))))
    return SheetCheck(training_class=training_class, organisation=organisation, rows=good, errors=errors)


def _read(row: SheetRow) -> SheetEntry:
    entry = SheetEntry(number=row.number, person=None, sheet_row=row)
    if not " ".join((row[NAME] or "").split()):
        row.refuse(NAME, _("Please enter the name."))
    text = row[ID_TYPE]
    id_type = ids.IdType.RESIDENT_ID if text is None else _ID_TYPES_BY_TEXT.get(
        "".join(unicodedata.normalize("NFKC", text).split()))
    if id_type is None:
        row.refuse(ID_TYPE, _("Unknown type of ID document “%(value)s”; use one of: %(types)s.",
                              value=text, types="、".join(ID_TYPE_LABELS.values())))
    if row[ID_NUMBER] is None:
        row.refuse(ID_NUMBER, _("Please enter the ID number."))
    elif id_type is not None:
        try:
            entry.id_key = crypto.keyed_hash(id_type.value, ids.validate_document(id_type, row[ID_NUMBER]))
        except ids.IdNumberError as error:
            row.refuse(ID_NUMBER, id_number_message(error))
    return entry


def _match(entries: list[SheetEntry], organisation: Organisation) -> None:
    keys = sorted({entry.id_key for entry in entries if entry.id_key})
    found: dict[str, Person] = {}
    for start in range(0, len(keys), 500):
        found.update((person.id_hash, person) for person in db.session.scalars(
            select(Person).where(Person.id_hash.in_(keys[start:start + 500]))))
    for entry in entries:
        if entry.id_key is None:
            continue
        person = found.get(entry.id_key)
        if person is None or person.organisation_id != organisation.id:
            # Say nothing about who they are: the uploader may not see another unit's people.
            entry.refuse(ID_NUMBER, _("Nobody with this ID number is among the unit's people."))
            continue
        entry.person = person
        name = " ".join((entry.sheet_row[NAME] or "").split())
        if name and _key(name) != _key(person.full_name):
            entry.refuse(NAME, _("The person with this ID number is “%(name)s” in the system.", name=person.full_name))


def _key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _refuse_repeats(entries: list[SheetEntry]) -> None:
    by_person: dict[int, list[SheetEntry]] = defaultdict(list)
    for entry in entries:
        if entry.person is not None:
            by_person[entry.person.id].append(entry)
    for same in by_person.values():
        for entry in same[1:]:
            entry.refuse(ID_NUMBER, _("The same ID number is also in row %(rows)s.", rows=same[0].number))


def _refuse_enrolled(entries: list[SheetEntry], training_class: TrainingClass) -> None:
    person_ids = sorted({entry.person.id for entry in entries if entry.person is not None})
    enrolled = set(db.session.scalars(select(Enrolment.person_id).where(
        Enrolment.class_id == training_class.id, Enrolment.is_active, Enrolment.person_id.in_(person_ids))))
    for entry in entries:
        if entry.person is not None and entry.person.id in enrolled:
            entry.refuse(ID_NUMBER, _("Already enrolled in this class."))


def _refuse_over_quota(entries: list[SheetEntry], training_class: TrainingClass, organisation: Organisation) -> None:
    quota = capacity.quota_for(training_class.id, organisation.id)
    if quota is None:
        return
    left = max(0, quota.quota - quota.used)
    wanting = [entry for entry in entries if not entry.is_bad]
    for position, entry in enumerate(wanting[left:], start=left + 1):
        entry.refuse(NAME, _("Over the unit's quota: %(left)d places are left in this class, and this is entry "
                             "%(n)d of the file.", left=left, n=position))


def enrol_file(data: bytes, training_class: TrainingClass, organisation: Organisation, *, actor) -> list[Enrolment]:
    """Check the file again and enrol every row in one transaction; returns the enrolments.
    Raises RowsRefused (every bad cell) when any row is bad, or the first refusal naming its row;
    either way the caller rolls back and nobody is enrolled."""
    check = check_file(data, training_class, organisation, actor=actor)
    if not check.is_clean:
        raise RowsRefused(_("%(count)d rows have problems, so nobody was enrolled.", count=check.bad_row_count),
                          check.errors)
    channel = (EnrolmentChannel.STAFF if has_permission(actor, MANAGE, class_scope(training_class))
               else EnrolmentChannel.EXCEL)
    enrolled = []
    for entry in check.rows:
        try:
            enrolled.append(enrolment.enrol(training_class, entry.person, actor=actor, channel=channel))
        except DomainError as error:
            raise type(error)(_("Row %(row)d: %(reason)s", row=entry.number, reason=error.message),
                              field=error.field) from None
    audit.record("enrolment.sheet_enrolled", training_class, actor=actor,
                 after={"organisation_id": organisation.id, "count": len(enrolled)})
    return enrolled
