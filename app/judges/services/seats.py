"""Changing who sits on a drawn panel: seating a judge by hand, taking one off, the judge's
answer to an invitation, and the replacement that follows a seat freed.

Every path that seats a judge refuses one who is conflicted or ineligible, with the reason:
a manual assignment (`assign`) runs the draw's own rules (draw.exclusions) and the caps; a
replacement — when a chief or judge declines or is removed — invites the next reserve who
still meets every rule and keeps the caps (draw.next_reserve), audited and mailed, and passes
over (audited, with the reason) those who may no longer sit; when none is left the panel is
short, and staff are told. (The draw itself: services.draws.) Each change holds the seat lock
and the panel's row lock, in that order. While the panel has a session, whoever becomes seated
is booked over its interval and whoever leaves is released (services.judge_bookings).
"""
from __future__ import annotations

import logging
from dataclasses import replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.services.notification_recipients import tell
from app.core import audit
from app.core.errors import Conflict, Full, InvalidInput, NotEligible, NotFound, Problems
from app.core.time import utcnow
from app.extensions import db
from app.judges import draw as drawing
from app.judges.models import JudgeProfile, MemberSource, MemberStatus, Panel, PanelMember, PanelRole, PanelStatus
from app.judges.services import draws, judge_bookings
from app.judges.services.draws import SEAT_ROLES, SEATED, lock_panel, lock_seats, require_panel_manager
from app.judges.services.facts import EventFacts, event_facts
from app.judges.services.panels import members_of, seats_of, standby_of
from app.judges.services.pool import is_own
from app.notifications import notify

log = logging.getLogger(__name__)

MAX_REASON = 500


def check_assignment(panel: Panel, profile_id, role, facts: EventFacts | None = None) -> None:
    """Raises naming every reason a judge cannot be seated by hand at once: the role, the
    judge, a full role, a judge on the panel already or one who may not sit (Conflict, Full or
    NotEligible when that is the only one); changes nothing."""
    profile = db.session.get(JudgeProfile, profile_id) if isinstance(profile_id, int) else None
    _seat_problems(panel, profile, role, members_of(panel.id), facts or event_facts(panel.event_id)).raise_any()


def _seat_problems(panel: Panel, profile: JudgeProfile | None, role, members: list[PanelMember],
                   facts: EventFacts) -> Problems:
    problems = Problems()
    if not isinstance(role, PanelRole):
        problems.add(_("Please choose a role."), "role")
    if profile is None:
        problems.add(_("Please choose a judge from the pool."), "profile_id")
    if panel.status != PanelStatus.DRAWN:
        with problems.check():
            raise Conflict(_("Draw the panel first: by hand you fill seats the draw left open, or add a recorder "
                             "or a reserve."))
        return problems
    seats = seats_of(panel, members)
    with problems.check():
        if role == PanelRole.CHIEF and seats.open_chiefs == 0:
            raise Full(_("All %(n)d chief judge seats are taken.", n=panel.chiefs), field="role")
        if role == PanelRole.JUDGE and seats.open_judges == 0:
            raise Full(_("All %(n)d judge seats are taken.", n=panel.judges), field="role")
    if profile is not None:
        with problems.check():
            _check_may_sit(panel, profile, role, members, facts)
    return problems


def _check_may_sit(panel: Panel, profile: JudgeProfile, role, members: list[PanelMember],
                   facts: EventFacts) -> None:
    """Conflict when the judge is on the panel already, NotEligible with every reason they may not sit."""
    name = profile.person.full_name
    existing = next((m for m in members if m.profile_id == profile.id), None)
    if existing is not None and (existing.status in SEATED or existing.status == MemberStatus.STANDBY):
        raise Conflict(_("%(name)s is on this panel already.", name=name), field="profile_id")
    if not profile.is_active:
        raise NotEligible(_("%(name)s cannot sit on this panel: %(reasons)s.", name=name,
                            reasons=_("not active in the pool")), field="profile_id")
    constraints = draws.constraints_of(panel, facts)
    seated_ids = [m.profile_id for m in members if m.role in SEAT_ROLES and m.status in SEATED]
    by_id = {c.profile_id: c for c in draws.candidates_for(panel, profile_ids=[*seated_ids, profile.id],
                                                           active_only=False)}
    reasons = draws.exclusion_texts({profile.id: drawing.exclusions(by_id[profile.id], constraints)})[profile.id]
    if role in SEAT_ROLES and (problem := _cap_problem(profile.id, seated_ids, by_id, constraints)):
        reasons.append(problem)
    if reasons:
        raise NotEligible(_("%(name)s cannot sit on this panel: %(reasons)s.", name=name,
                            reasons="; ".join(reasons)), field="profile_id")


def _cap_problem(profile_id: int, seated_ids: list[int], candidates_by_id: dict, constraints) -> str | None:
    """Why seating the judge beside `seated_ids` breaks a cap, or None."""
    if drawing.fits_caps([*seated_ids, profile_id], candidates_by_id, constraints):
        return None
    if not drawing.fits_caps([*seated_ids, profile_id], candidates_by_id, replace(constraints, max_per_region=None)):
        return _("it would put more than %(cap)d judges of one unit on this panel", cap=constraints.max_per_unit)
    return _("it would put more than %(cap)d judges of one region on this panel", cap=constraints.max_per_region)


def assign(panel: Panel, profile_id: int | None, role: PanelRole | None, *, actor) -> PanelMember:
    """Staff seat a judge by hand: a chief or judge seat the draw left open, a recorder or a
    reserve (last in line). The judge must meet every rule of the panel — trade, level,
    certificate, dates, no other panel then, no conflict — and a chief or judge the caps.

    Raises InvalidInput, PermissionDenied, Conflict (not drawn yet, on the panel already),
    Full (no open seat of that role), NotEligible with every reason the judge may not sit.
    """
    facts = event_facts(panel.event_id)
    require_panel_manager(actor, facts)
    profile = db.session.get(JudgeProfile, profile_id) if isinstance(profile_id, int) else None
    if profile is None or not isinstance(role, PanelRole):
        check_assignment(panel, profile_id, role, facts)  # bad input: every problem, queuing for no lock
    lock_seats()
    panel = lock_panel(panel.id)
    members = members_of(panel.id)
    _seat_problems(panel, profile, role, members, facts).raise_any()
    existing = next((m for m in members if m.profile_id == profile.id), None)
    member = _seat(panel, profile.id, role, existing, members)
    judge_bookings.book_seats(panel, [member], actor=actor)   # a reserve on standby holds no time yet
    audit.record("panel.member_assigned", member, actor=actor,
                 before=audit.snapshot(existing, PanelMember.AUDITED) if existing else None,
                 after=audit.snapshot(member, PanelMember.AUDITED) | {"panel_id": panel.id,
                                                                     "profile_id": profile.id})
    if member.status == MemberStatus.INVITED:
        draws.notify_invited(member, panel, facts)
    log.info("judge %s assigned to panel %s as %s", profile.id, panel.id, role.value)
    return member


def _seat(panel: Panel, profile_id: int, role: PanelRole, existing: PanelMember | None,
          members: list[PanelMember]) -> PanelMember:
    """The member row for a manual assignment (the judge's old row reused: one row per judge and panel)."""
    member = existing or PanelMember(panel_id=panel.id, profile_id=profile_id)
    member.role, member.source, member.replaces_id = role, MemberSource.MANUAL, None
    member.responded_at, member.decline_reason, member.invited_at = None, None, utcnow()
    if role == PanelRole.RESERVE:
        member.status = MemberStatus.STANDBY
        member.reserve_order = max((m.reserve_order or 0 for m in members), default=0) + 1
    else:
        member.status, member.reserve_order = MemberStatus.INVITED, None
    if existing is None:
        db.session.add(member)
    db.session.flush()
    return member


def fill_open_seats(panel: Panel, facts: EventFacts, *, actor, departed: PanelMember | None = None) -> list[PanelMember]:
    """Invite reserves, in order, into the open chief and judge seats; each must still meet
    every rule and keep the caps (draw.next_reserve). Reserves passed over stay in line and
    are audited with the reason. Call under lock_seats() and the panel's lock."""
    members = members_of(panel.id)
    seats = seats_of(panel, members)
    open_roles = [PanelRole.CHIEF] * seats.open_chiefs + [PanelRole.JUDGE] * seats.open_judges
    if not open_roles or panel.status != PanelStatus.DRAWN:
        return []
    constraints = draws.constraints_of(panel, facts)
    seated = [m for m in members if m.role in SEAT_ROLES and m.status in SEATED]
    standby = standby_of(members)
    snapshot = draws.candidates_for(panel, profile_ids=[m.profile_id for m in seated + standby], active_only=False)
    active = {c.profile_id for c in draws.candidates_for(panel, profile_ids=[m.profile_id for m in standby])}
    seated_ids = {m.profile_id for m in seated}
    usable = {c.profile_id: c for c in snapshot if c.profile_id in active or c.profile_id in seated_ids}
    called, passed_over = [], set()
    for role in open_roles:
        sitting = [m.profile_id for m in seated]
        chosen = drawing.next_reserve(sitting, [m.profile_id for m in standby], usable, constraints)
        for passed in standby:
            if passed.profile_id == chosen:
                break
            if passed.id not in passed_over:
                passed_over.add(passed.id)
                _audit_passed_over(passed, usable, sitting, constraints, actor)
        if chosen is None:
            break
        member = next(m for m in standby if m.profile_id == chosen)
        before = audit.snapshot(member, PanelMember.AUDITED)
        member.role, member.status, member.source, member.invited_at = role, MemberStatus.INVITED, \
            MemberSource.REPLACEMENT, utcnow()
        member.replaces_id = departed.id if departed is not None and departed.role == role else None
        audit.record("panel.reserve_called", member, actor=actor, before=before,
                     after=audit.snapshot(member, PanelMember.AUDITED) | {"replaces_id": member.replaces_id})
        judge_bookings.book_seats(panel, [member], actor=actor)
        draws.notify_invited(member, panel, facts)
        standby.remove(member)
        seated.append(member)
        called.append(member)
    db.session.flush()
    short = seats_of(panel, members_of(panel.id)).short
    if short:
        audit.record("panel.short", panel, actor=actor, after={"short": short})
        _notify_staff(panel, facts, _l("The panel %(panel)s is %(n)d judges short and has no reserve left who may "
                                       "sit; assign judges by hand.", panel=panel.name, n=short))
    return called


def _audit_passed_over(member: PanelMember, usable: dict, sitting: list[int], constraints, actor) -> None:
    if member.profile_id not in usable:
        reasons = [_("not active in the pool")]
    else:
        candidate = usable[member.profile_id]
        reasons = draws.exclusion_texts({member.profile_id: drawing.exclusions(candidate, constraints)})[
            member.profile_id]
        if not reasons and (problem := _cap_problem(member.profile_id, sitting, usable, constraints)):
            reasons.append(problem)
    audit.record("panel.reserve_passed_over", member, actor=actor, reason="; ".join(reasons)[:1000])


def call_reserves(panel: Panel, *, actor) -> list[PanelMember]:
    """Staff ask reserves into the seats that are open now (e.g. after adding a reserve by hand)."""
    facts = event_facts(panel.event_id)
    require_panel_manager(actor, facts)
    lock_seats()
    panel = lock_panel(panel.id)
    if panel.status != PanelStatus.DRAWN:
        raise Conflict(_("Draw the panel first."))
    called = fill_open_seats(panel, facts, actor=actor)
    return called


def remove_member(member: PanelMember, reason: str | None, *, actor) -> PanelMember:
    """Staff take a judge off the panel (a chief or judge is replaced by the next reserve who may sit)."""
    panel = member.panel
    facts = event_facts(panel.event_id)
    require_panel_manager(actor, facts)
    reason = _reason(reason)
    lock_seats()
    panel = lock_panel(panel.id)
    member = next((m for m in members_of(panel.id) if m.id == member.id), None)
    if member is None or member.status not in (*SEATED, MemberStatus.STANDBY):
        raise Conflict(_("This judge is no longer on the panel."))
    was_seated = member.status in SEATED
    before = audit.snapshot(member, PanelMember.AUDITED)
    member.status = MemberStatus.REMOVED
    judge_bookings.release_seats([member], actor=actor)
    audit.record("panel.member_removed", member, actor=actor, before=before,
                 after=audit.snapshot(member, PanelMember.AUDITED), reason=reason)
    _notify_removed(member, panel, facts)
    db.session.flush()
    if was_seated and member.role in SEAT_ROLES:
        fill_open_seats(panel, facts, actor=actor, departed=member)
    return member


def _reason(text: str | None) -> str | None:
    reason = " ".join((text or "").split()) or None
    if reason is not None and len(reason) > MAX_REASON:
        raise InvalidInput(_("At most %(n)d characters.", n=MAX_REASON), field="reason")
    return reason


# --- the judge answers --------------------------------------------------------------------------

def own_member(member_id, user) -> PanelMember:
    """The signed-in judge's own seat; anyone else's is not found (ids tell strangers nothing)."""
    member = db.session.get(PanelMember, member_id) if isinstance(member_id, int) else None
    if member is None or not is_own(member.profile, user):
        raise NotFound(_("No such invitation."))
    return member


def accept(member: PanelMember, *, actor) -> PanelMember:
    """The judge accepts their invitation. Raises NotFound (not theirs) or Conflict (not open)."""
    member = own_member(member.id, actor)
    lock_panel(member.panel_id)
    member = next(m for m in members_of(member.panel_id) if m.id == member.id)
    if member.status == MemberStatus.ACCEPTED:
        raise Conflict(_("You have accepted this invitation already."))
    if member.status != MemberStatus.INVITED:
        raise Conflict(_("This invitation is no longer open."))
    before = audit.snapshot(member, PanelMember.AUDITED)
    member.status, member.responded_at = MemberStatus.ACCEPTED, utcnow()
    audit.record("panel.invitation_accepted", member, actor=actor, before=before,
                 after=audit.snapshot(member, PanelMember.AUDITED))
    return member


def decline(member: PanelMember, reason: str | None, *, actor) -> PanelMember:
    """The judge declines (or, having accepted, withdraws); the next reserve who may sit is invited."""
    member = own_member(member.id, actor)
    reason = _reason(reason)
    facts = event_facts(member.panel.event_id)
    lock_seats()
    panel = lock_panel(member.panel_id)
    member = next(m for m in members_of(panel.id) if m.id == member.id)
    if member.status not in SEATED:
        raise Conflict(_("This invitation is no longer open."))
    before = audit.snapshot(member, PanelMember.AUDITED)
    member.status, member.responded_at, member.decline_reason = MemberStatus.DECLINED, utcnow(), reason
    judge_bookings.release_seats([member], actor=actor)
    audit.record("panel.invitation_declined", member, actor=actor, before=before,
                 after=audit.snapshot(member, PanelMember.AUDITED), reason=reason)
    db.session.flush()
    if member.role in SEAT_ROLES:
        fill_open_seats(panel, facts, actor=actor, departed=member)
    return member


# --- telling people ----------------------------------------------------------------------------

def _notify_removed(member: PanelMember, panel: Panel, facts: EventFacts) -> None:
    """Tell the judge they are off the panel ("panel.removed"), as the invitation was told."""
    tell(member.profile.person, "panel.removed", key=f"panel:{panel.id}:removed:{member.id}", link="/judges/me",
         context=draws.panel_context(member, panel, facts))


def _notify_staff(panel: Panel, facts: EventFacts, message) -> None:
    """Tell the member of staff who set the panel up ("panel.staff_notice": their inbox, and
    e-mail per their choice). `message` is a lazy string: it is rendered in their language.
    Each notice is its own (the same shortfall may come back after a hand-made fix), so its
    key names the moment."""
    if panel.created_by_id is None:
        return
    notify(panel.created_by_id, "panel.staff_notice", key=f"panel:{panel.id}:notice:{utcnow():%Y%m%dT%H%M%S%f}",
           context={"panel": panel.name, "event": facts.name, "message": message}, link=f"/judges/panels/{panel.id}")
