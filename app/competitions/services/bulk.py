"""A unit's people entered in an event from an Excel file, all or nothing.

Excel bulk registration is all or nothing, like the unit import (orgs.services.excel_io):
`check_file` lists every bad cell of every row (row number as Excel shows it, column
header, reason) and says what each good row would get as things stand (a seat or a place
on the waiting list); `register_file` checks the file again — the preview is never
trusted — and enters every row in the caller's one transaction through
`registration.register`, in the file's order, or raises when any row is bad or any entry is
refused (the caller rolls back: none of them is kept). A row whose ID number nobody holds
creates the person in the unit (`people.create_person`); a row whose ID number belongs to a
person of another unit is refused.

The file's layout (its columns, the template, the error report): bulk_sheet.py. Staff
decisions on many entries: decisions.py.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person
from app.accounts.services import people
from app.core import eligibility
from app.competitions.models import Channel, Event, Registration
from app.competitions.services import capacity, registration
from app.competitions.services.access import event_scope
from app.competitions.services.bulk_sheet import (ID_NUMBER, ID_TYPE, ID_TYPE_LABELS, MAX_ANSWER_LENGTH, NAME,
                                                  PHONE, SHEET_TITLE, columns_of, questions_of)
from app.core import audit, crypto, excel, identifiers, ids
from app.core.errors import DomainError, InvalidInput
from app.core.excel import CellError, CheckedFile, ReadFromSheet, RowsRefused, SheetRow
from app.core.permissions import Scope, ScopeType, has_permission, require
from app.core.time import utcnow
from app.core.validation import id_number_message
from app.extensions import db
from app.orgs.models import Organisation

log = logging.getLogger(__name__)

_ID_TYPES_BY_TEXT = {label: id_type for id_type, label in ID_TYPE_LABELS.items()} | {
    "身份证": ids.IdType.RESIDENT_ID} | {id_type.value: id_type for id_type in ids.IdType}


# --- checking a file -------------------------------------------------------------------------

@dataclass
class BulkRow(ReadFromSheet):
    """One row of the file, read and normalised; `person` is None for someone to be created."""

    number: int
    full_name: str
    id_type: ids.IdType | None
    id_number: str | None            # normalised; never shown, see `id_masked`
    phone: str | None
    answers: dict[str, str]
    sheet_row: SheetRow
    person: Person | None = None
    wants_place: bool = True         # counts against the quota (not a repeat, not already entered)
    gets_seat: bool = True           # as things stand at the check; the confirmation decides

    @property
    def is_new_person(self) -> bool:
        return self.person is None

    @property
    def id_masked(self) -> str:
        return ids.mask_id_number(self.id_number) if self.id_number else ""


@dataclass
class BulkCheck(CheckedFile):
    """What a file would enter: its good rows in order, and every problem of the bad ones."""

    event: Event
    organisation: Organisation
    headers: list[str]
    rows: list[BulkRow]                     # the good rows, in the file's order
    errors: list[CellError]
    sheet_rows: list[SheetRow] = field(default_factory=list)  # every row, for the error report

    @property
    def seats(self) -> int:
        return sum(1 for row in self.rows if row.gets_seat)

    @property
    def waiting(self) -> int:
        return len(self.rows) - self.seats


class FileRefused(RowsRefused):
    """A file with bad rows was refused at confirmation; `check` has what the report needs."""

    def __init__(self, message: str, check: BulkCheck):
        super().__init__(message, check.errors)
        self.check = check


def check_file(data: bytes, event: Event, organisation: Organisation, *, actor, channel: Channel) -> BulkCheck:
    """Every row of the uploaded file checked against the event, the unit and the database.

    Raises PermissionDenied unless the actor may enter the unit's people (a liaison of the
    unit) or manage the event (staff), InvalidInput when the file itself is unusable or the
    event takes no individual entries, registration.Closed when a liaison's event is not
    open (staff may still enter).
    """
    if channel == Channel.STAFF:
        require(actor, "competitions.manage", event_scope(event))
    else:
        require(actor, "registrations.register_unit", Scope.of(ScopeType.ORGANISATION, organisation.id))
    if event.is_team:
        raise InvalidInput(_("Teams are entered one by one, not from a file."))
    if channel != Channel.STAFF and not event.is_open(utcnow()):
        raise registration.Closed(_("Registration for this event is not open."))
    columns = columns_of(event)
    sheet_rows = excel.read_rows(data, columns, sheet=SHEET_TITLE)
    if not sheet_rows:
        raise InvalidInput(_("The file has no rows: fill in one person per row under the headers."), field="file")
    rows = [_read(row, event) for row in sheet_rows]
    _refuse_repeats(rows)
    _match_people(rows, organisation, actor)
    _refuse_entered(rows, event)
    _refuse_ineligible(rows, event, organisation)
    _refuse_over_quota(rows, event, organisation)
    good = [row for row in rows if not row.is_bad]
    for position, row in enumerate(good):
        row.gets_seat = position < event.seats_left
    headers = [column.header for column in columns]
    order = {header: position for position, header in enumerate(headers)}
    errors = sorted((error for row in sheet_rows for error in row.errors),
                    key=lambda error: (error.row, order.get(error.column, len(order))))
    return BulkCheck(event=event, organisation=organisation, headers=headers, rows=good, errors=errors,
                     sheet_rows=sheet_rows)


# A crafted file can smuggle control characters in (openpyxl decodes "_x0000_"); PostgreSQL
# cannot store NUL, and none belongs in a name or an answer.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str | None) -> str:
    return _CONTROL_CHARACTERS.sub("", value or "")


def _read(row: SheetRow, event: Event) -> BulkRow:
    """The row's fields, normalised; each bad cell refused on the row."""
    name = " ".join(_text(row[NAME]).split())
    if not name:
        if NAME not in {error.column for error in row.errors}:
            row.refuse(NAME, _("Please enter the name."))
    elif len(name) > 64:
        row.refuse(NAME, _("The name is too long (at most 64 characters)."))

    id_type = _id_type(row[ID_TYPE])
    if id_type is None:
        row.refuse(ID_TYPE, _("Unknown type of ID document “%(value)s”; use one of: %(types)s.",
                              value=row[ID_TYPE], types="、".join(ID_TYPE_LABELS.values())))
    number = None
    if row[ID_NUMBER] is None:
        if ID_NUMBER not in {error.column for error in row.errors}:  # not already refused as a lost number
            row.refuse(ID_NUMBER, _("Please enter the ID number."))
    elif id_type is not None:
        try:
            number = ids.validate_document(id_type, row[ID_NUMBER])
        except ids.IdNumberError as error:
            message = id_number_message(error)
            if ID_NUMBER in row.stored_as_number:  # e.g. an X at the end that Excel dropped
                message += " " + _("Excel stored this cell as a number; format the column as text and "
                                   "enter the number again.")
            row.refuse(ID_NUMBER, message)

    phone = None
    if row[PHONE] is not None:
        try:
            phone = identifiers.normalise_phone(row[PHONE])
        except identifiers.IdentifierError:
            row.refuse(PHONE, _("Please enter a valid mobile phone number."))

    answers = {}
    for label in questions_of(event):
        answer = _text(row[label]).strip()
        if len(answer) > MAX_ANSWER_LENGTH:
            row.refuse(label, _("At most %(n)d characters.", n=MAX_ANSWER_LENGTH))
        answers[label] = answer
    return BulkRow(number=row.number, full_name=name, id_type=id_type, id_number=number, phone=phone,
                   answers=answers, sheet_row=row)


def _id_type(text: str | None) -> ids.IdType | None:
    if text is None:
        return ids.IdType.RESIDENT_ID  # the template says so: blank means a resident ID card
    key = "".join(unicodedata.normalize("NFKC", text).split())
    return _ID_TYPES_BY_TEXT.get(key) or _ID_TYPES_BY_TEXT.get(key.lower())


def _refuse_repeats(rows: list[BulkRow]) -> None:
    """Two rows with one ID document: each names the others; only the first wants a place."""
    by_document: dict[tuple, list[BulkRow]] = defaultdict(list)
    for row in rows:
        if row.id_number is not None:
            by_document[(row.id_type, row.id_number)].append(row)
    for same in by_document.values():
        for position, row in enumerate(same if len(same) > 1 else ()):
            others = "、".join(str(other.number) for other in same if other is not row)
            row.refuse(ID_NUMBER, _("The same ID number is also in row %(rows)s.", rows=others))
            row.wants_place = position == 0


def _match_people(rows: list[BulkRow], organisation: Organisation, actor) -> None:
    """Find each row's person by ID document: one query per 500 rows, by the same keyed hash
    as `people.find_by_id_number`. Another unit's person is refused; an unknown one will be
    created in the unit, if the actor may add people to it."""
    rows_by_hash: dict[str, list[BulkRow]] = defaultdict(list)
    for row in rows:
        if row.id_number is not None:
            rows_by_hash[crypto.keyed_hash(row.id_type.value, row.id_number)].append(row)
    found: dict[str, Person] = {}
    ordered = sorted(rows_by_hash)
    for start in range(0, len(ordered), 500):
        found.update((person.id_hash, person) for person in db.session.scalars(
            select(Person).where(Person.id_hash.in_(ordered[start:start + 500]))))
    may_add = has_permission(actor, "persons.manage", Scope.of(ScopeType.ORGANISATION, organisation.id))
    for id_hash, same in rows_by_hash.items():
        person = found.get(id_hash)
        for row in same:
            if person is not None:
                _match_one(row, person, organisation)
            elif not may_add:
                row.refuse(ID_NUMBER, _("Nobody with this ID number is in the system yet, and you may not add "
                                        "people to this unit."))


def _match_one(row: BulkRow, person: Person, organisation: Organisation) -> None:
    if person.organisation_id != organisation.id:
        # Say nothing about who they are: the uploader may not see another unit's people.
        row.refuse(ID_NUMBER, _("This person belongs to another unit (or to none); only their own unit "
                                "may enter them."))
        row.wants_place = False
        return
    row.person = person
    if row.full_name and _name_key(row.full_name) != _name_key(person.full_name):
        row.refuse(NAME, _("The person with this ID number is “%(name)s” in the system.", name=person.full_name))


def _name_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _refuse_entered(rows: list[BulkRow], event: Event) -> None:
    """People of the file who already hold an active entry in the event."""
    person_ids = sorted({row.person.id for row in rows if row.person is not None})
    entered: dict[int, Registration] = {}
    for start in range(0, len(person_ids), 500):
        entered.update((entry.person_id, entry) for entry in db.session.scalars(select(Registration).where(
            Registration.event_id == event.id, Registration.is_active,
            Registration.person_id.in_(person_ids[start:start + 500]))))
    for row in rows:
        entry = entered.get(row.person.id) if row.person is not None else None
        if entry is not None:
            row.refuse(ID_NUMBER, _("Already registered for this event (%(status)s).",
                                    status=registration.status_label(entry.status)))
            row.wants_place = False


# Which column an eligibility problem belongs under: age comes from the ID number.
_PROBLEM_COLUMNS = {"birth_date_missing": ID_NUMBER, "too_young": ID_NUMBER, "too_old": ID_NUMBER}


def _refuse_ineligible(rows: list[BulkRow], event: Event, organisation: Organisation) -> None:
    """Every rule of the event each row's person fails (registration's own rules and words)."""
    rules = registration.rules_of(event)
    for row in rows:
        if row.id_number is None or not row.wants_place:
            continue
        person = row.person or _person_to_be(row, organisation)
        candidate = registration.candidate_for(event, person, row.answers)
        for problem in eligibility.problems(rules, candidate):
            column = problem.params["label"] if problem.code == "required_field" else _PROBLEM_COLUMNS.get(
                problem.code, NAME)
            row.refuse(column, registration.problem_message(problem))


def _person_to_be(row: BulkRow, organisation: Organisation) -> Person:
    """A Person never added to the session: what the row would create, for the eligibility rules."""
    birth_date = None
    if row.id_type == ids.IdType.RESIDENT_ID:
        birth_date = ids.parse_resident_id(row.id_number).birth_date
    return Person(full_name=row.full_name, birth_date=birth_date, organisation_id=organisation.id)


def _refuse_over_quota(rows: list[BulkRow], event: Event, organisation: Organisation) -> None:
    """Rows past what is left of the unit's quota, counted in the file's order."""
    quota = capacity.quota_for(event.id, organisation.id)
    if quota is None:
        return
    left = max(0, quota.quota - quota.used)
    wanting = [row for row in rows if row.wants_place]
    for position, row in enumerate(wanting[left:], start=left + 1):
        row.refuse(NAME, _("Over the unit's quota: %(left)d places are left in this event, and this is entry "
                           "%(n)d of the file.", left=left, n=position))


# --- registering a file ------------------------------------------------------------------------

def register_file(data: bytes, event: Event, organisation: Organisation, *, actor,
                  channel: Channel) -> list[Registration]:
    """Check the file again and enter every row in one transaction; returns the entries.

    Raises FileRefused (listing every bad cell) when any row is bad, or the DomainError of
    the first entry the registration service refuses, naming its row (the world changed
    since the check, e.g. someone in the file was added or registered meanwhile); either way
    the caller rolls back, so nothing is entered and nobody is created.
    """
    check = check_file(data, event, organisation, actor=actor, channel=channel)
    if not check.is_clean:
        raise FileRefused(_("%(count)d rows have problems, so nobody was registered.", count=check.bad_row_count),
                          check)
    entries: list[Registration] = []
    created = 0
    for row in check.rows:
        try:
            person = row.person
            if person is None:
                person = people.create_person(people.PersonFields(
                    full_name=row.full_name, id_type=row.id_type, id_number=row.id_number, phone=row.phone,
                    organisation_id=organisation.id), actor=actor)
                created += 1
            entries.append(registration.register(event, person, actor=actor, channel=channel,
                                                 answers=row.answers or None))
        except DomainError as error:
            raise type(error)(_("Row %(row)d: %(reason)s", row=row.number, reason=error.message),
                              field=error.field) from None
    audit.record("registration.bulk_registered", event, actor=actor,
                 after={"organisation_id": organisation.id, "count": len(entries), "people_created": created,
                        "registration_ids": [entry.id for entry in entries]})
    log.info("%d entries (%d new people) registered in event %s for unit %s by user %s", len(entries), created,
             event.id, organisation.id, getattr(actor, "id", None))
    return entries
