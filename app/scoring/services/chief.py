"""The chief judge's side of entering scores: a panel's progress (contestant × aspect × judge,
missing and flagged marks), and locking a sheet or an aspect once nothing is missing or flagged.
Locks are taken in the order app.scoring.services.marks describes: the scheme version's row,
then the sheets' rows."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person
from app.competitions.models import ContestSession
from app.core import audit
from app.core.errors import Conflict, NotFound
from app.core.locks import fetch_locked, hold_row
from app.core.time import utcnow
from app.extensions import db
from app.judges.models import JudgeProfile, Panel, PanelMember
from app.judges.services.draws import SEATED
from app.judges.services.facts import facts_of
from app.scoring.models import (Mark, MarkingScheme, SchemeAspect, SchemeVersion, ScoreSheet, SheetStatus, SpreadFlag,
                                ThirdMarker)
from app.scoring.services.marks import MARKING_ROLES, attempts_of, ensure_sheet, lock_sheet_rows
from app.scoring.services.visibility import (Contestant, aspects_of, hidden_for, panel_contestants, schemes_of_panel,
                                             visible)


PROBLEMS = ("missing", "short", "flagged")


@dataclass
class Progress:
    panel: Panel
    scheme: MarkingScheme
    version: SchemeVersion
    aspects: list[SchemeAspect]
    contestants: list[Contestant]
    sheets: list[ScoreSheet]
    judges: dict[int, str]                          # sheet id → the judge's name
    hidden: dict[int, set[int]]                     # sheet id → registration ids not on it
    marks: dict[tuple[int, int, int, int], Mark]     # (sheet, registration, aspect, attempt)
    flags: dict[tuple[int, int, int], SpreadFlag]    # open flags by (registration, aspect, attempt)
    counts: dict[tuple[int, int, int], int] = field(default_factory=dict)    # marks on each cell
    thirds: dict[tuple[int, int, int], int] = field(default_factory=dict)    # cell → the third marker's sheet

    def cell(self, sheet: ScoreSheet, contestant: Contestant, aspect: SchemeAspect, attempt: int) -> str:
        """"hidden", "missing", "flagged", "ok"; with the aspect's judges per attempt
        (app.scoring.services.spread): "spare" (not this judge's: others have marked the cell),
        "short" (marked, but the cell still lacks another judge's mark)."""
        if contestant.registration_id in self.hidden[sheet.id]:
            return "hidden"
        key = (contestant.registration_id, aspect.id, attempt)
        if (sheet.id, *key) not in self.marks:
            if aspect.judges is None or self.thirds.get(key) == sheet.id:
                return "missing"
            return "spare" if self.counts.get(key, 0) >= aspect.judges else "missing"
        if key in self.flags:
            return "flagged"
        return "short" if aspect.judges is not None and self.counts.get(key, 0) < aspect.judges else "ok"

    def candidates(self, flag: SpreadFlag) -> list[ScoreSheet]:
        """The sheets whose judge may be the third marker of `flag`'s cell: no mark on it, the
        contestant not withheld from them, the sheet not locked."""
        key = (flag.registration_id, flag.aspect_id, flag.attempt)
        return [s for s in self.sheets if s.status != SheetStatus.LOCKED and (s.id, *key) not in self.marks
                and flag.registration_id not in self.hidden[s.id]]

    def lockable(self, sheet: ScoreSheet) -> bool:
        return sheet.status == SheetStatus.SUBMITTED and not self.problems(sheet)

    def problems(self, sheet: ScoreSheet) -> list[str]:
        states = [self.cell(sheet, c, a, n) for c in self.contestants for a in self.aspects
                  for n in range(1, attempts_of(a) + 1)]
        return [state for state in states if state in PROBLEMS]


def progress(panel: Panel, scheme: MarkingScheme) -> Progress:
    """The panel's matrix on the scheme: contestant × aspect × judge, in a fixed number of queries
    (once every judge has a sheet: a judge who has not opened theirs yet gets it here, all missing)."""
    version_ids = [v.id for v in scheme.versions]
    unmade = db.session.scalars(select(PanelMember).where(
        PanelMember.panel_id == panel.id, PanelMember.status.in_(SEATED), PanelMember.role.in_(MARKING_ROLES),
        ~select(ScoreSheet.id).where(ScoreSheet.member_id == PanelMember.id,
                                     ScoreSheet.version_id.in_(version_ids)).exists())).all()
    for member in unmade:
        ensure_sheet(member, scheme.current)
    sheets = list(db.session.scalars(
        select(ScoreSheet).join(SchemeVersion).where(ScoreSheet.panel_id == panel.id,
                                                    SchemeVersion.scheme_id == scheme.id).order_by(ScoreSheet.id)))
    version = sheets[0].version if sheets else scheme.current
    members = {m.id: m for m in db.session.scalars(
        select(PanelMember).where(PanelMember.panel_id == panel.id))}
    profiles = {p.id: p for p in db.session.scalars(select(JudgeProfile).where(
        JudgeProfile.id.in_([m.profile_id for m in members.values()])))}
    names = dict(db.session.execute(select(Person.id, Person.full_name).where(
        Person.id.in_([p.person_id for p in profiles.values()]))).all())
    contestants = panel_contestants(panel, blind=False)
    facts = facts_of([panel.event_id])[panel.event_id]
    withheld = hidden_for([members[s.member_id] for s in sheets], panel, facts)
    everyone = {c.registration_id for c in contestants}
    hidden = {s.id: everyone - {c.registration_id for c in visible(contestants, withheld[s.member_id])}
              for s in sheets}
    marks = {(m.sheet_id, m.registration_id, m.aspect_id, m.attempt): m for m in db.session.scalars(
        select(Mark).where(Mark.sheet_id.in_([s.id for s in sheets])))} if sheets else {}
    flags = {(f.registration_id, f.aspect_id, f.attempt): f for f in db.session.scalars(
        select(SpreadFlag).where(SpreadFlag.version_id == version.id, SpreadFlag.resolved_at.is_(None)))}
    judges = {s.id: names.get(profiles[members[s.member_id].profile_id].person_id, "?") for s in sheets}
    counts = Counter((r, a, n) for _s, r, a, n in marks)
    sheet_of_member = {s.member_id: s.id for s in sheets}
    thirds = {(f.registration_id, f.aspect_id, f.attempt): sheet_of_member.get(t.member_id) for t, f in db.session.execute(
        select(ThirdMarker, SpreadFlag).join(SpreadFlag, SpreadFlag.id == ThirdMarker.flag_id)
        .where(SpreadFlag.version_id == version.id)).all()}
    return Progress(panel, scheme, version, aspects_of(version.id), contestants, sheets, judges, hidden, marks,
                    flags, counts, thirds)


def lock_sheet(sheet: ScoreSheet, *, actor) -> ScoreSheet:
    """The chief judge locks a handed-in sheet with nothing missing or flagged; from now on a
    mark sent to it is refused. Locking twice is harmless."""
    sheet = lock_sheet_rows(sheet)
    if sheet.status == SheetStatus.LOCKED:
        return sheet
    if sheet.status != SheetStatus.SUBMITTED:
        raise Conflict(_("The judge has not handed this sheet in yet."))
    state = progress(sheet.panel, sheet.version.scheme)
    problems = state.problems(sheet)
    if problems:
        raise Conflict(_("This sheet cannot be locked: %(missing)d marks missing, %(flagged)d flagged.",
                         missing=len(problems) - problems.count("flagged"), flagged=problems.count("flagged")))
    sheet.status, sheet.locked_at, sheet.locked_by_id = SheetStatus.LOCKED, utcnow(), getattr(actor, "id", None)
    for mark in db.session.scalars(select(Mark).where(Mark.sheet_id == sheet.id)):
        mark.status = SheetStatus.LOCKED
    audit.record("scoring.sheet_locked", sheet, actor=actor)
    return sheet


def lock_aspect(panel: Panel, scheme: MarkingScheme, aspect_id: int, *, actor) -> int:
    """The chief judge locks one aspect on every sheet of the panel: every judge has handed in,
    nothing on it is missing or flagged. Answers how many marks were locked."""
    state = progress(panel, scheme)
    aspect = next((a for a in state.aspects if a.id == aspect_id), None)
    if aspect is None:
        raise NotFound(_("That aspect is not in this scheme."))
    hold_row(SchemeVersion, state.version.id)
    sheets = [fetch_locked(ScoreSheet, sheet.id) for sheet in sorted(state.sheets, key=lambda s: s.id)]
    state = progress(panel, scheme)
    if not sheets or any(sheet.status == SheetStatus.DRAFT for sheet in sheets):
        raise Conflict(_("Every judge must hand in their sheet before an aspect is locked."))
    cells = [state.cell(sheet, c, aspect, n) for sheet in state.sheets for c in state.contestants
             for n in range(1, attempts_of(aspect) + 1)]
    if any(cell in PROBLEMS for cell in cells):
        raise Conflict(_("%(aspect)s cannot be locked: %(missing)d marks missing, %(flagged)d flagged.",
                         aspect=aspect.name, missing=cells.count("missing") + cells.count("short"),
                         flagged=cells.count("flagged")))
    locked = db.session.scalars(select(Mark).where(Mark.sheet_id.in_([s.id for s in sheets]),
                                                   Mark.aspect_id == aspect.id)).all()
    for mark in locked:
        mark.status = SheetStatus.LOCKED
    audit.record("scoring.aspect_locked", scheme, actor=actor, after={"aspect": aspect.name})
    return len(locked)


def aspect_lockable(state: Progress, aspect: SchemeAspect) -> bool:
    """Every sheet handed in, nothing on the aspect missing or flagged, something still open."""
    if not state.sheets or any(sheet.status == SheetStatus.DRAFT for sheet in state.sheets):
        return False
    cells = [state.cell(sheet, c, aspect, n) for sheet in state.sheets for c in state.contestants
             for n in range(1, attempts_of(aspect) + 1)]
    still_open = any(m.status != SheetStatus.LOCKED for (_sheet, _registration, aspect_id, _attempt), m in state.marks.items()
                     if aspect_id == aspect.id)
    return not any(cell in PROBLEMS for cell in cells) and still_open


def sheet_of_panel(panel_id: int, sheet_id: int) -> ScoreSheet:
    sheet = db.session.get(ScoreSheet, sheet_id)
    if sheet is None or sheet.panel_id != panel_id:
        raise NotFound(_("There is no such score sheet."))
    return sheet


def scheme_of_panel(panel: Panel, scheme_id: int | None) -> MarkingScheme:
    found = schemes_of_panel(panel)
    for scheme in found:
        if scheme_id is None or scheme.id == scheme_id:
            return scheme
    raise NotFound(_("This panel has no marking scheme ready for marks."))


def session_name(panel: Panel) -> str | None:
    session = db.session.get(ContestSession, panel.session_id) if panel.session_id else None
    return session.name if session else None
