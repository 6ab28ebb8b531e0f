"""What people read out of the entries: the staff's list as an Excel file, counts by unit
and event, waiting-list places for a page of entries, and a unit's quota figures.

Read-only: nothing here changes a row. Files go through app.core.excel, so no cell can
run as a formula; ID numbers appear only masked. Headers and state names in files are
Chinese whatever the page's language: a file is data, passed on and filed.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import Person
from app.competitions.models import Channel, Competition, Event, EventQuota, Registration, RegistrationStatus as Status
from app.competitions.services import listing
from app.core import excel
from app.core.time import to_local
from app.extensions import db
from app.orgs.models import Organisation

log = logging.getLogger(__name__)

ENTRIES_SHEET = "报名名单"
ENTRY_HEADERS = ["姓名", "证件号码", "单位", "竞赛", "赛项", "状态", "候补位次", "准考证号", "报名渠道", "报名时间"]
ENTRY_TEXT_COLUMNS = ["证件号码", "准考证号"]

STATUS_NAMES = {
    Status.SUBMITTED: "待单位确认", Status.ENDORSED: "待审核", Status.APPROVED: "已通过",
    Status.REJECTED: "未通过", Status.WAITLISTED: "候补", Status.WITHDRAWN: "已退出",
}
CHANNEL_NAMES = {Channel.SELF: "个人报名", Channel.LIAISON: "单位报名", Channel.STAFF: "协会录入"}
# The order of the state columns on the counts page: the way an entry moves.
STATUS_ORDER = (Status.SUBMITTED, Status.ENDORSED, Status.APPROVED, Status.WAITLISTED, Status.REJECTED,
                Status.WITHDRAWN)


def waitlist_places(entries) -> dict[int, int]:
    """The waiting-list place (1: next in line) of each waitlisted entry among `entries`, in
    one query: the same count as `registration.waitlist_place`, for a whole page or file."""
    wanted = {entry.id for entry in entries if entry.status == Status.WAITLISTED}
    if not wanted:
        return {}
    event_ids = {entry.event_id for entry in entries if entry.id in wanted}
    place = func.row_number().over(partition_by=Registration.event_id, order_by=Registration.waitlist_position)
    rows = db.session.execute(select(Registration.id, place).where(
        Registration.event_id.in_(event_ids), Registration.status == Status.WAITLISTED))
    return {registration_id: number for registration_id, number in rows if registration_id in wanted}


def with_details(query):
    """`query` of entries, loading what a list shows (person, unit, event, competition) at once."""
    return query.options(joinedload(Registration.person), joinedload(Registration.organisation),
                         joinedload(Registration.event).joinedload(Event.competition))


def entries_workbook(user, flt: listing.EntryFilter, tz_name: str) -> bytes:
    """The entries `user` may see under `flt`, as an xlsx; ID numbers masked, every cell safe."""
    entries = list(db.session.scalars(with_details(listing.visible_entries(user, flt))).unique())
    places = waitlist_places(entries)
    rows = [[entry.person.full_name, entry.person.id_masked or "",
             entry.organisation.name if entry.organisation else "", entry.event.competition.name, entry.event.name,
             STATUS_NAMES[entry.status], places.get(entry.id), entry.exam_number or "", CHANNEL_NAMES[entry.channel],
             _local_naive(entry.created_at, tz_name)]
            for entry in entries]
    log.info("%d entries exported by user %s", len(rows), getattr(user, "id", None))
    return excel.write_workbook(ENTRY_HEADERS, rows, ENTRIES_SHEET, text_columns=ENTRY_TEXT_COLUMNS)


def _local_naive(value: datetime | None, tz_name: str) -> datetime | None:
    local = to_local(value, tz_name)
    return local.replace(tzinfo=None, microsecond=0) if local else None


# --- counts by unit and event --------------------------------------------------------------

@dataclass
class CountRow:
    """One unit in one event: how many entries are in each state."""

    unit: str | None            # None: entrants of no unit
    event: Event
    counts: dict[Status, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def counts_by_unit(competition: Competition) -> tuple[list[CountRow], dict[Status, int]]:
    """Rows per unit and event (unit name, then event order), and the totals per state."""
    events = {event.id: event for event in competition.events}
    cells = list(db.session.execute(listing.counts_by_unit_and_event(competition.id)))
    unit_ids = {org_id for _event, org_id, _status, _count in cells if org_id is not None}
    names = dict(db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(unit_ids))).all()) if unit_ids else {}
    rows: dict[tuple[int | None, int], CountRow] = {}
    totals: dict[Status, int] = {status: 0 for status in STATUS_ORDER}
    for event_id, org_id, status, count in cells:
        row = rows.setdefault((org_id, event_id), CountRow(names.get(org_id), events[event_id]))
        row.counts[status] = row.counts.get(status, 0) + count
        totals[status] += count
    ordered = sorted(rows.values(), key=lambda row: (row.unit is None, row.unit or "", row.event.id))
    return ordered, totals


# --- a unit's events ---------------------------------------------------------------------------

@dataclass
class UnitEvent:
    """An open event as a unit sees it: its quota (None: no quota), what is used and left."""

    event: Event
    quota: int | None
    used: int
    entries: int                 # the unit's active entries in the event

    @property
    def left(self) -> int | None:
        return None if self.quota is None else max(0, self.quota - self.used)


def open_events_for_unit(organisation: Organisation, now: datetime) -> list[UnitEvent]:
    """Events open for registration now that the unit may enter: every event of a public
    competition, and any event where the unit has a quota; with the unit's figures."""
    quotas = {quota.event_id: quota for quota in db.session.scalars(
        select(EventQuota).where(EventQuota.organisation_id == organisation.id))}
    condition = Competition.is_public
    if quotas:
        condition = condition | Event.id.in_(quotas)
    events = list(db.session.scalars(
        select(Event).join(Event.competition).options(joinedload(Event.competition))
        .where(Event.opens_at <= now, Event.closes_at > now, condition)
        .order_by(Event.competition_id.desc(), Event.id)))
    entries = dict(db.session.execute(
        select(Registration.event_id, func.count(Registration.id))
        .where(Registration.organisation_id == organisation.id, Registration.is_active,
               Registration.event_id.in_([event.id for event in events]))
        .group_by(Registration.event_id)).all()) if events else {}
    return [UnitEvent(event, quotas[event.id].quota if event.id in quotas else None,
                      quotas[event.id].used if event.id in quotas else entries.get(event.id, 0),
                      entries.get(event.id, 0))
            for event in events]


def people_to_enter(organisation: Organisation, event: Event, limit: int = 2000) -> list[tuple[int, str]]:
    """(person id, "name (masked ID)") of the unit's people not yet entered in `event`, by name."""
    entered = select(Registration.person_id).where(Registration.event_id == event.id, Registration.is_active)
    rows = db.session.execute(
        select(Person.id, Person.full_name, Person.id_masked)
        .where(Person.organisation_id == organisation.id, Person.id.not_in(entered))
        .order_by(Person.full_name, Person.id).limit(limit))
    return [(person_id, f"{name} ({masked})" if masked else name) for person_id, name, masked in rows]
