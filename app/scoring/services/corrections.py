"""Corrections after the lock: once the chief judge has locked a mark (its sheet, or its aspect
on every sheet), it changes only through a correction. A judge of the panel asks for one on a
mark of their own, the panel's chief judge on any of the panel's, with the new value (checked
against the aspect's scale like any mark) and a reason. It needs two approvals by two people:
the panel's chief judge's, and staff's (`competitions.manage` in the event's committee, as every
staff action). Either may refuse it instead, with a reason. The second approval changes the
mark in the same transaction, keeping the old value, who, when and why (MarkChange and the
audit log), and checks the cell's spread again. One correction per mark is open at a time.

Who must act is told: the chief judges and staff when one is asked for, the one who asked when
it is decided (app.accounts.services.notification_recipients.tell).

Locks (app.scoring.services.marks's order): the scheme version's row, then the correction's.
Two approvals at once are ordered: the second sees the first and applies the change, once.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, or_, select

from app.accounts.models import Person, User
from app.accounts.services.notification_recipients import tell
from app.competitions.models import Event
from app.competitions.services.access import event_scope
from app.core import audit
from app.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Problems
from app.core.locks import fetch_locked, hold_row
from app.core.permissions import Grant, Role, ScopeType, has_permission, stands_in
from app.core.time import utcnow
from app.extensions import db
from app.judges.models import JudgeProfile, Panel, PanelMember
from app.judges.services.relations import PANEL_CHIEF
from app.scoring.models import (CorrectionStatus, Mark, MarkChange, MarkCorrection, SchemeAspect, SchemeVersion,
                                ScoreSheet, SheetStatus)
from app.scoring.services import publication
from app.scoring.services.marks import value_problem
from app.scoring.services.spread import chief_users, check_spread, number_text
from app.scoring.services.visibility import aspects_of, panel_contestants

MANAGE = "competitions.manage"
ASKED_KIND, APPLIED_KIND, REFUSED_KIND = "scoring.correction", "scoring.correction_applied", "scoring.correction_refused"
CHIEF, STAFF = "chief", "staff"


@dataclass(frozen=True)
class Row:
    """A correction as a list shows it."""
    correction: MarkCorrection
    contestant: str
    aspect: str
    attempt: int
    judge: str
    asked_by: str


def capacities(user, panel: Panel) -> set[str]:
    """In which capacities the user approves a correction on the panel: chief, staff, both, none."""
    found = set()
    if stands_in(user, PANEL_CHIEF, panel.id):
        found.add(CHIEF)
    if has_permission(user, MANAGE, event_scope(db.session.get(Event, panel.event_id))):
        found.add(STAFF)
    return found


def _own_member_ids(user, panel: Panel) -> set[int]:
    return set(db.session.scalars(select(PanelMember.id).join(JudgeProfile, JudgeProfile.id == PanelMember.profile_id).where(
        PanelMember.panel_id == panel.id, JudgeProfile.person_id == getattr(user, "person_id", -1))))


def correctable(user, panel: Panel) -> list[Mark]:
    """The locked marks the user may ask to correct: their own; the chief judge's: all the panel's."""
    query = select(Mark).join(ScoreSheet, ScoreSheet.id == Mark.sheet_id).where(
        ScoreSheet.panel_id == panel.id, Mark.status == SheetStatus.LOCKED)
    if not stands_in(user, PANEL_CHIEF, panel.id):
        query = query.where(Mark.member_id.in_(_own_member_ids(user, panel) or {-1}))
    return list(db.session.scalars(query.order_by(Mark.registration_id, Mark.aspect_id, Mark.attempt, Mark.id)))


def check_request(panel: Panel, mark_id: int | None, value: Decimal | None, reason: str | None, *,
                  actor) -> Mark:
    """The mark a correction asks to change, or every problem with the request at once."""
    mark = next((m for m in correctable(actor, panel) if m.id == mark_id), None)
    problems = Problems()
    if mark is None:
        problems.add(_("Please choose a locked mark of yours on this panel."), "mark_id")
    if not (reason or "").strip():
        problems.add(_("Please say why the mark should change."), "reason")
    if value is None:
        problems.add(_("Please give the new mark."), "value")
    elif mark is not None:
        message = value_problem(db.session.get(SchemeAspect, mark.aspect_id), value)
        if message:
            problems.add(message, "value")
        elif value == mark.value:
            problems.add(_("The new mark is the mark it has."), "value")
    problems.raise_any()
    return mark


def choices(user, panel: Panel) -> list[tuple[int, str]]:
    """(mark id, words) for each mark the user may ask to correct."""
    found = correctable(user, panel)
    if not found:
        return []
    names = stands_in(user, PANEL_CHIEF, panel.id)
    labels = {c.registration_id: c.label for c in panel_contestants(panel, blind=not names)}
    aspects = {a.id: a for a in db.session.scalars(select(SchemeAspect).where(
        SchemeAspect.id.in_({m.aspect_id for m in found})))}
    judges = dict(db.session.execute(select(PanelMember.id, Person.full_name).join(
        JudgeProfile, JudgeProfile.id == PanelMember.profile_id).join(Person, Person.id == JudgeProfile.person_id)
        .where(PanelMember.id.in_({m.member_id for m in found}))).all())
    return [(m.id, " · ".join([labels.get(m.registration_id, "?"), aspects[m.aspect_id].name
                               + (f" #{m.attempt}" if m.attempt > 1 else ""), judges.get(m.member_id, "?"),
                               number_text(m.value)])) for m in found]


def request(panel: Panel, mark_id: int | None, value: Decimal | None, reason: str | None, *, actor) -> MarkCorrection:
    """Ask for a locked mark to change: every problem at once."""
    mark = check_request(panel, mark_id, value, reason, actor=actor)
    reason = reason.strip()
    hold_row(SchemeVersion, _version_of(mark))
    if db.session.scalar(select(MarkCorrection.id).where(MarkCorrection.mark_id == mark.id,
                                                         MarkCorrection.status == CorrectionStatus.PENDING)):
        raise Conflict(_("A correction of this mark is already waiting for approval."))
    correction = MarkCorrection(mark_id=mark.id, panel_id=panel.id, old_value=mark.value, new_value=value,
                                reason=reason[:500], requested_by_id=actor.id)
    db.session.add(correction)
    db.session.flush()
    audit.record("scoring.correction_asked", correction, actor=actor, reason=reason[:500],
                 before={"value": str(mark.value)}, after={"value": str(value)})
    context = {"panel": panel.name, "old": number_text(mark.value), "new": number_text(value)}
    for user in _deciders(panel):
        if user.id != actor.id and user.person is not None:
            tell(user.person, ASKED_KIND, key=f"scoring.correction:{correction.id}:{user.id}", context=context,
                 link=f"/scoring/panels/{panel.id}/corrections")
    return correction


def _version_of(mark: Mark) -> int:
    return db.session.scalar(select(ScoreSheet.version_id).where(ScoreSheet.id == mark.sheet_id))


def _deciders(panel: Panel) -> list[User]:
    """The panel's chief judges and the staff of the event's committee (and everywhere)."""
    event = db.session.get(Event, panel.event_id)
    committee_id = event.competition.committee_id
    scope = Grant.scope_type.is_(None)
    if committee_id is not None:
        scope = or_(scope, (Grant.scope_type == ScopeType.COMMITTEE) & (Grant.scope_id == committee_id))
    staff = db.session.scalars(select(User).join(Grant, Grant.user_id == User.id).where(
        Grant.role == Role.STAFF, scope, User.is_active_account).distinct())
    chiefs = [db.session.get(User, user_id) for user_id in chief_users(panel)]
    return list({u.id: u for u in [*chiefs, *staff]}.values())


def of_panel(panel: Panel, correction_id: int) -> MarkCorrection:
    correction = db.session.get(MarkCorrection, correction_id)
    if correction is None or correction.panel_id != panel.id:
        raise NotFound(_("There is no such correction."))
    return correction


def _locked(correction: MarkCorrection) -> MarkCorrection:
    hold_row(SchemeVersion, _version_of(correction.mark))
    return fetch_locked(MarkCorrection, correction.id)


def approve(correction: MarkCorrection, *, actor, roles: set[str]) -> MarkCorrection:
    """Approve as the panel's chief judge or as staff (whichever approval is still wanting, by
    another person than the first); the second approval applies the change. Twice is harmless."""
    correction = _locked(correction)
    mine = actor.id in (correction.chief_by_id, correction.staff_by_id)
    if correction.status != CorrectionStatus.PENDING:
        if correction.status == CorrectionStatus.APPLIED and mine:
            return correction
        raise Conflict(_("This correction was already decided."))
    if mine:
        return correction
    if CHIEF in roles and correction.chief_by_id is None:
        correction.chief_by_id, correction.chief_at = actor.id, utcnow()
        capacity = CHIEF
    elif STAFF in roles and correction.staff_by_id is None:
        correction.staff_by_id, correction.staff_at = actor.id, utcnow()
        capacity = STAFF
    elif roles:
        raise Conflict(_("Your approval is given; the other must come from someone else."))
    else:
        raise PermissionDenied(_("Only the panel's chief judge and staff approve a correction."))
    audit.record("scoring.correction_approved", correction, actor=actor, after={"as": capacity})
    if correction.chief_by_id is not None and correction.staff_by_id is not None:
        _apply(correction, actor)
    return correction


def _apply(correction: MarkCorrection, actor) -> None:
    mark = fetch_locked(Mark, correction.mark_id)
    aspect = db.session.get(SchemeAspect, mark.aspect_id)
    message = value_problem(aspect, correction.new_value)
    if message:
        raise InvalidInput(message, "value")
    db.session.add(MarkChange(mark_id=mark.id, old_value=mark.value, new_value=correction.new_value,
                              reason=correction.reason, changed_by_id=actor.id))
    sheet = db.session.get(ScoreSheet, mark.sheet_id)
    audit.record("scoring.mark_corrected", sheet, actor=actor, reason=correction.reason,
                 before={"value": str(mark.value)}, after={"value": str(correction.new_value)})
    correction.old_value = mark.value
    mark.value, mark.updated_at = correction.new_value, utcnow()
    correction.status, correction.decided_at = CorrectionStatus.APPLIED, utcnow()
    db.session.flush()
    check_spread(sheet.version, sheet.panel, {(mark.registration_id, mark.aspect_id, mark.attempt)},
                 {a.id: a for a in aspects_of(sheet.version_id)})
    _tell_asker(correction, APPLIED_KIND)


def refuse(correction: MarkCorrection, reason: str | None, *, actor, roles: set[str]) -> MarkCorrection:
    """Refuse as the panel's chief judge or as staff, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Please say why the correction is refused."), "reason")
    if not roles:
        raise PermissionDenied(_("Only the panel's chief judge and staff refuse a correction."))
    correction = _locked(correction)
    if correction.status != CorrectionStatus.PENDING:
        raise Conflict(_("This correction was already decided."))
    correction.status, correction.decided_at = CorrectionStatus.REFUSED, utcnow()
    correction.refused_by_id, correction.refused_at, correction.refusal = actor.id, utcnow(), reason[:500]
    audit.record("scoring.correction_refused", correction, actor=actor, reason=reason[:500])
    _tell_asker(correction, REFUSED_KIND, reason=reason[:500])
    return correction


def _tell_asker(correction: MarkCorrection, kind: str, **more) -> None:
    asker = db.session.get(User, correction.requested_by_id) if correction.requested_by_id else None
    if asker is not None and asker.person is not None:
        panel = db.session.get(Panel, correction.panel_id)
        tell(asker.person, kind, key=f"{kind}:{correction.id}",
             context={"panel": panel.name, "old": number_text(correction.old_value),
                      "new": number_text(correction.new_value), **more},
             link=f"/scoring/panels/{panel.id}/corrections")


def rows(corrections: list[MarkCorrection], *, names: bool = True) -> list[Row]:
    """The corrections with the words a list shows (the judge's and asker's names, the contestant:
    with `names` False, by number only, as a judge of a blind scheme sees them)."""
    if not corrections:
        return []
    marks = {m.id: m for m in db.session.scalars(select(Mark).where(Mark.id.in_({c.mark_id for c in corrections})))}
    names = dict(db.session.execute(select(PanelMember.id, Person.full_name).join(JudgeProfile, JudgeProfile.id == PanelMember.profile_id).join(
        Person, Person.id == JudgeProfile.person_id).where(PanelMember.id.in_({m.member_id for m in marks.values()}))).all())
    askers = dict(db.session.execute(select(User.id, Person.full_name).join(Person, Person.id == User.person_id).where(
        User.id.in_({c.requested_by_id for c in corrections if c.requested_by_id}))).all())
    aspects = {a.id: a.name for a in db.session.scalars(select(SchemeAspect).where(
        SchemeAspect.id.in_({m.aspect_id for m in marks.values()})))}
    labels = {}
    for panel_id in {c.panel_id for c in corrections}:
        labels.update({c.registration_id: c.label for c in panel_contestants(db.session.get(Panel, panel_id),
                                                                              blind=not names)})
    found = []
    for correction in corrections:
        mark = marks[correction.mark_id]
        found.append(Row(correction, labels.get(mark.registration_id, "?"), aspects.get(mark.aspect_id, "?"),
                         mark.attempt, names.get(mark.member_id, "?"), askers.get(correction.requested_by_id, "?")))
    return found


def of_panel_list(panel: Panel, user, *, pending_only: bool = False) -> list[MarkCorrection]:
    """The panel's corrections, newest first: all of them for its chief judge and staff, a
    judge's own requests for a judge."""
    query = select(MarkCorrection).where(MarkCorrection.panel_id == panel.id)
    if pending_only:
        query = query.where(MarkCorrection.status == CorrectionStatus.PENDING)
    if not capacities(user, panel):
        query = query.where(MarkCorrection.requested_by_id == user.id)
    return list(db.session.scalars(query.order_by(MarkCorrection.id.desc())))


def pending_of_event(event: Event) -> list[MarkCorrection]:
    """Every correction waiting on the event's panels (the staff's list)."""
    return list(db.session.scalars(select(MarkCorrection).join(Panel, Panel.id == MarkCorrection.panel_id).where(
        Panel.event_id == event.id, MarkCorrection.status == CorrectionStatus.PENDING)
        .order_by(MarkCorrection.id)))


def waiting_on(version: SchemeVersion) -> str | None:
    """Why the version's results cannot be published while a correction of one of its marks waits
    (registered with publication: its blockers)."""
    waiting = db.session.scalar(select(func.count()).select_from(MarkCorrection)
                                .join(Mark, Mark.id == MarkCorrection.mark_id)
                                .join(ScoreSheet, ScoreSheet.id == Mark.sheet_id)
                                .where(ScoreSheet.version_id == version.id,
                                       MarkCorrection.status == CorrectionStatus.PENDING))
    if not waiting:
        return None
    return ngettext("%(num)d correction of a mark waits for a decision.",
                    "%(num)d corrections of marks wait for a decision.", waiting)


publication.register_blocker(waiting_on)
