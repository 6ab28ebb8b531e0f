"""Entering scores: a judge's score sheets, their marks, submission and the spread check (the
chief judge's progress matrix and locks: app.scoring.services.chief).

Who sees what. A sheet is one panel member's (a judge's or recorder's) marks on one version of
a scheme of the panel's event (or stage): the panel's contestants — those seated in its session,
or the event's approved entries when it has none — minus the unit the compatriot rule withholds
from them (`judges.services.panels.withheld_unit`) and any person or unit they declared a
conflict with. A blind scheme shows a station or work number, never a name or unit.

Marks. Each carries a client-made id, unique per judge: a resend of the same id stores nothing
new. A draft mark is simply overwritten; a submitted one keeps its old value, who, when and why
(MarkChange, and the audit log). The first mark freezes the scheme version (schemes.freeze) in
the same transaction. Every problem of a batch is reported at once and nothing is stored.

Locks (app/core/locks.py order, inside scoring): the scheme version's row, then the sheet's
row. Every write of marks, every submission and every lock takes both, so a lock racing a late
mark is ordered (the late one then sees the lock and is refused), fifty judges submitting at
once queue on the version row and each spread check sees every mark committed before it, and
the same client id sent twice at once is stored once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app.core import audit
from app.core.errors import Conflict, InvalidInput, NotFound, Problems
from app.core.locks import fetch_locked, hold_row
from app.core.time import utcnow
from app.extensions import db
from app.judges.models import JudgeProfile, Panel, PanelMember, PanelRole
from app.judges.services.draws import SEATED
from app.scoring.models import (Mark, MarkChange, MarkingScheme, MarkReceipt, SchemeAspect, SchemeVersion, ScoreSheet,
                                SheetStatus, SpreadFlag)
from app.scoring.services import schemes
from app.scoring.services.spread import SPREAD_KIND, check_spread, crowded, third_cells  # noqa: F401
from app.scoring.services.spread import number_text as _number
from app.scoring.services.visibility import (Contestant, aspects_of, hidden_from, panel_contestants, schemes_of_panel,
                                             visible)

MARKING_ROLES = (PanelRole.JUDGE, PanelRole.RECORDER)
MAX_MARKS_PER_BATCH = 2000
MAX_ATTEMPTS = schemes.MAX_ATTEMPTS


@dataclass(frozen=True)
class MarkIn:
    client_id: str
    registration_id: int
    aspect_id: int
    attempt: int
    value: Decimal
    reason: str | None = None


@dataclass
class SheetView:
    sheet: ScoreSheet
    scheme: MarkingScheme
    aspects: list[SchemeAspect]
    contestants: list[Contestant]
    marks: dict[tuple[int, int, int], Mark] = field(default_factory=dict)
    flagged: set[tuple[int, int, int]] = field(default_factory=set)
    thirds: set[tuple[int, int, int]] = field(default_factory=set)   # cells asked of this judge as third marker

    def cells(self):
        """(contestant, aspect, attempt) for every mark the sheet asks for."""
        for contestant in self.contestants:
            for aspect in self.aspects:
                for attempt in range(1, attempts_of(aspect) + 1):
                    yield contestant, aspect, attempt

    def missing(self) -> list[tuple[Contestant, SchemeAspect, int]]:
        """The cells the judge owes: every cell of an aspect without a number of judges, and
        their third-marker cells (cells of the others are filled by the first judges to mark
        them; the chief judge's matrix shows any left short)."""
        return [(c, a, n) for c, a, n in self.cells() if (c.registration_id, a.id, n) not in self.marks
                and (a.judges is None or (c.registration_id, a.id, n) in self.thirds)]


def attempts_of(aspect: SchemeAspect) -> int:
    return aspect.attempts_count or 1


# ---- sheets ---------------------------------------------------------------------------------------------------

def _seats_of(user) -> list[PanelMember]:
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return []
    return list(db.session.scalars(
        select(PanelMember).join(JudgeProfile, JudgeProfile.id == PanelMember.profile_id)
        .where(JudgeProfile.person_id == person_id, PanelMember.status.in_(SEATED),
               PanelMember.role.in_(MARKING_ROLES)).order_by(PanelMember.id)))


def ensure_sheet(member: PanelMember, version: SchemeVersion) -> None:
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(ScoreSheet).values(
        version_id=version.id, panel_id=member.panel_id, member_id=member.id, status=SheetStatus.DRAFT,
        created_at=utcnow()).on_conflict_do_nothing(index_elements=["version_id", "member_id"]))


def sheets_of(user) -> list[ScoreSheet]:
    """The user's own sheets: one per scheme of each panel they mark on (made when first asked;
    two requests at once make one). A sheet stays on the version it was made on."""
    members = _seats_of(user)
    for member in members:
        made = {version_id for version_id in db.session.scalars(
            select(ScoreSheet.version_id).where(ScoreSheet.member_id == member.id))}
        for scheme in schemes_of_panel(member.panel):
            versions = {v.id for v in scheme.versions}
            if not versions & made:
                ensure_sheet(member, scheme.current)
    if not members:
        return []
    return list(db.session.scalars(select(ScoreSheet).where(ScoreSheet.member_id.in_([m.id for m in members]))
                                   .order_by(ScoreSheet.panel_id, ScoreSheet.id)
                                   .execution_options(populate_existing=True)))


def chaired_panels(user) -> list[Panel]:
    """The panels the user chairs (a seated chief judge): theirs to follow and lock."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return []
    return list(db.session.scalars(
        select(Panel).join(PanelMember, PanelMember.panel_id == Panel.id)
        .join(JudgeProfile, JudgeProfile.id == PanelMember.profile_id)
        .where(JudgeProfile.person_id == person_id, PanelMember.status.in_(SEATED),
               PanelMember.role == PanelRole.CHIEF).order_by(Panel.starts_on, Panel.id)))


def own_sheet(sheet_id: int, user, panel_id: int | None = None) -> ScoreSheet:
    sheet = db.session.get(ScoreSheet, sheet_id)
    if sheet is None or (panel_id is not None and sheet.panel_id != panel_id):
        raise NotFound(_("There is no such score sheet."))
    if sheet.member.profile.person_id != getattr(user, "person_id", -1):
        raise NotFound(_("There is no such score sheet."))  # another judge's: not even that it exists
    return sheet


def view_of(sheet: ScoreSheet) -> SheetView:
    panel, scheme = sheet.panel, sheet.version.scheme
    contestants = visible(panel_contestants(panel, blind=scheme.blind), hidden_from(sheet.member, panel))
    view = SheetView(sheet, scheme, aspects_of(sheet.version_id), contestants)
    for mark in db.session.scalars(select(Mark).where(Mark.sheet_id == sheet.id)):
        view.marks[(mark.registration_id, mark.aspect_id, mark.attempt)] = mark
    view.flagged = {(f.registration_id, f.aspect_id, f.attempt) for f in db.session.scalars(
        select(SpreadFlag).where(SpreadFlag.version_id == sheet.version_id, SpreadFlag.resolved_at.is_(None)))}
    view.thirds = third_cells(sheet.version_id, sheet.member_id)
    return view


# ---- marks ----------------------------------------------------------------------------------------------------

def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def value_problem(aspect: SchemeAspect, value: Decimal) -> str | None:
    """Why `value` is no mark on `aspect` (None: it is one): the scale, its step, the maximum."""
    low, high, step = aspect.scale_min, aspect.scale_max, aspect.scale_step
    if not value.is_finite() or value < low or value > high:
        return _("%(aspect)s: a mark lies between %(low)s and %(high)s.", aspect=aspect.name,
                 low=_number(low), high=_number(high))
    if step and (value - low) % step != 0:
        return _("%(aspect)s: marks go in steps of %(step)s from %(low)s.", aspect=aspect.name,
                 step=_number(step), low=_number(low))
    if aspect.kind != "measurement" and aspect.maximum is not None and high <= aspect.maximum < value:
        return _("%(aspect)s: at most %(most)s.", aspect=aspect.name, most=_number(aspect.maximum))
    return None


def locked_message(sheet: ScoreSheet) -> str:
    return _("The chief judge locked this sheet: the mark was not stored. Please speak to the chief judge.")


def lock_sheet_rows(sheet: ScoreSheet) -> ScoreSheet:
    """The scheme version's row, then the sheet's: the order of every write here."""
    hold_row(SchemeVersion, sheet.version_id)
    return fetch_locked(ScoreSheet, sheet.id)


def save_marks(sheet: ScoreSheet, entries: list[MarkIn], *, actor) -> list[dict]:
    """Store a batch of marks on the judge's sheet: every problem reported at once, nothing
    stored then. Answers each entry's client id with "stored" or "unchanged" (a resend)."""
    if not entries:
        return []
    if len(entries) > MAX_MARKS_PER_BATCH:
        raise InvalidInput(_("At most %(most)d marks at a time.", most=MAX_MARKS_PER_BATCH), "marks")
    view = view_of(sheet)
    aspects = {a.id: a for a in view.aspects}
    contestants = {c.registration_id: c for c in view.contestants}
    problems = Problems()
    seen: dict[str, MarkIn] = {}
    for entry in entries:
        aspect = aspects.get(entry.aspect_id)
        who = contestants.get(entry.registration_id)
        if aspect is None or who is None:
            problems.add(_("A mark names a contestant or aspect that is not on this sheet."), "marks")
            continue
        if not 1 <= entry.attempt <= attempts_of(aspect):
            problems.add(_("%(who)s, %(aspect)s: there is no attempt %(n)d.", who=who.label, aspect=aspect.name,
                           n=entry.attempt), "marks")
        message = value_problem(aspect, entry.value)
        if message:
            problems.add(_("%(who)s — %(problem)s", who=who.label, problem=message), "marks")
        if not entry.client_id or len(entry.client_id) > 64:
            problems.add(_("Each mark needs its own id of 1 to 64 characters."), "marks")
        elif entry.client_id in seen and seen[entry.client_id] != entry:
            problems.add(_("Two different marks were sent with one id."), "marks")
        seen[entry.client_id] = entry
    problems.raise_any()
    version = sheet.version
    if version.frozen_at is None:
        fetch_locked(SchemeVersion, version.id)
        schemes.freeze(version)
    sheet = lock_sheet_rows(sheet)
    if sheet.status == SheetStatus.LOCKED:
        raise Conflict(locked_message(sheet), "marks")
    stored = {(m.registration_id, m.aspect_id, m.attempt): m for m in db.session.scalars(
        select(Mark).where(Mark.sheet_id == sheet.id).execution_options(populate_existing=True))}
    by_client = {client_id: mark for client_id, mark in db.session.execute(
        select(MarkReceipt.client_id, Mark).join(Mark, Mark.id == MarkReceipt.mark_id)
        .where(MarkReceipt.member_id == sheet.member_id, MarkReceipt.client_id.in_(list(seen))))}
    answers, touched = [], set()
    full = crowded(sheet, {(e.registration_id, e.aspect_id, e.attempt) for e in seen.values()} - set(stored), aspects)
    for entry in seen.values():
        cell = (entry.registration_id, entry.aspect_id, entry.attempt)
        earlier = by_client.get(entry.client_id)
        if earlier is not None and (earlier.registration_id, earlier.aspect_id, earlier.attempt) != cell:
            problems.add(_("That id was already used for another mark."), "marks")
            continue
        mark = stored.get(cell)
        if earlier is not None:   # a resend: already written (perhaps changed since by a later write)
            answers.append({"client_id": entry.client_id, "result": "unchanged", "mark": earlier})
            continue
        if mark is not None and mark.value == entry.value:
            db.session.add(MarkReceipt(member_id=sheet.member_id, client_id=entry.client_id, mark=mark,
                                       value=entry.value))
            answers.append({"client_id": entry.client_id, "result": "unchanged", "mark": mark})
            continue
        if mark_locked(stored.get(cell)):
            problems.add(_("%(who)s, %(aspect)s: the chief judge locked this mark; it was not changed.",
                           who=contestants[entry.registration_id].label, aspect=aspects[entry.aspect_id].name),
                         "marks")
            continue
        if cell in full:
            problems.add(_("%(who)s, %(aspect)s: already marked by the %(n)d judges it needs; the mark was not "
                           "stored.", who=contestants[entry.registration_id].label, aspect=aspects[entry.aspect_id].name,
                           n=aspects[entry.aspect_id].judges), "marks")
            continue
        if mark is None:
            mark = Mark(sheet_id=sheet.id, member_id=sheet.member_id, aspect_id=entry.aspect_id,
                        registration_id=entry.registration_id, attempt=entry.attempt, value=entry.value,
                        status=sheet.status, client_id=entry.client_id)
            db.session.add(mark)
            stored[cell] = mark
        else:
            if mark.status != SheetStatus.DRAFT:
                reason = (entry.reason or "").strip()
                if not reason:
                    problems.add(_("%(who)s, %(aspect)s: the sheet was submitted; please say why the mark changes.",
                                   who=contestants[entry.registration_id].label,
                                   aspect=aspects[entry.aspect_id].name), "reason")
                    continue
                db.session.add(MarkChange(mark_id=mark.id, old_value=mark.value, new_value=entry.value,
                                          reason=reason[:500], changed_by_id=getattr(actor, "id", None)))
                audit.record("scoring.mark_changed", sheet, actor=actor, reason=reason[:500],
                             before={"value": str(mark.value)}, after={"value": str(entry.value)})
            mark.value, mark.client_id, mark.updated_at = entry.value, entry.client_id, utcnow()
        db.session.add(MarkReceipt(member_id=sheet.member_id, client_id=entry.client_id, mark=mark, value=entry.value))
        by_client[entry.client_id] = mark
        touched.add(cell)
        answers.append({"client_id": entry.client_id, "result": "stored", "mark": mark})
    problems.raise_any()
    db.session.flush()
    if sheet.status != SheetStatus.DRAFT:
        check_spread(sheet.version, sheet.panel, touched, aspects)
    return answers


def mark_locked(mark: Mark | None) -> bool:
    return mark is not None and mark.status == SheetStatus.LOCKED


def submit_sheet(sheet: ScoreSheet, *, actor) -> ScoreSheet:
    """Hand the sheet in: every mark it asks for must be there. Submitting twice is harmless."""
    sheet = lock_sheet_rows(sheet)
    if sheet.status == SheetStatus.LOCKED:
        raise Conflict(locked_message(sheet))
    if sheet.status == SheetStatus.SUBMITTED:
        return sheet
    view = view_of(sheet)
    missing = view.missing()
    if missing:
        raise InvalidInput(missing_message(missing), "marks")
    sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED, utcnow()
    for mark in view.marks.values():
        mark.status = SheetStatus.SUBMITTED
    db.session.flush()
    audit.record("scoring.sheet_submitted", sheet, actor=actor)
    check_spread(sheet.version, sheet.panel, set(view.marks), {a.id: a for a in view.aspects})
    return sheet


def missing_message(missing: list) -> str:
    shown = "; ".join(f"{c.label} — {a.name}" + (f" #{n}" if attempts_of(a) > 1 else "") for c, a, n in missing[:5])
    more = len(missing) - 5
    if more > 0:
        return _("%(count)d marks are missing: %(shown)s and %(more)d more.", count=len(missing), shown=shown,
                 more=more)
    return _("%(count)d marks are missing: %(shown)s.", count=len(missing), shown=shown)
