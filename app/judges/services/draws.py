"""Running a panel's draw (随机抽取) and checking it later.

The draw itself is app.judges.draw, a pure function. This module feeds it: the candidate
snapshot (every active judge as they stand now: unit, region, level, trades, certificates,
declared dates, other panels they sit on at an overlapping time — for a panel with a session
(场次), the times they are booked elsewhere then — declared conflicts), the
panel's constraints with the event's contestants, and the seed. It writes what came out —
the `Draw` record with everything needed to recompute it, the members (chiefs and judges
invited, reserves on standby in order), the audit line and the invitation mails — in one
transaction, under the seat lock and the panel's row lock, so of two staff drawing the same
panel at once one wins and the other is told who drew it and when.

Everything that seats a judge (a draw, a manual assignment, a replacement) holds
`lock_seats()` first: whether a judge sits on another panel at an overlapping time is read
and written under it, never read-then-write between two of them. (The seat lock comes
before the panel row: the lock order in app.core.locks.)
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import LazyString, get_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.accounts.models import Person, User
from app.accounts.services.notification_recipients import tell
from app.core import audit, locks, seeded_draw
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.permissions import require
from app.core.seeded_draw import MAX_WITNESSES
from app.core.time import association_zone, to_local, utcnow
from app.extensions import db
from app.judges import draw as drawing, draw_record
from app.judges.labels import level_label, panel_role_label
from app.judges.models import (Draw, JudgeProfile, MemberSource, MemberStatus, Panel, PanelMember, PanelRole,
                               PanelStatus, SeedSource, Speciality)
from app.judges.services import judge_bookings
from app.judges.services.facts import EventFacts, event_facts
from app.judges.services.judge_bookings import SEATED  # noqa: F401  (callers read it here)
from app.judges.services.snapshot import candidates, candidates_for, constraints_of  # noqa: F401  (read here too)
from app.orgs.models import Organisation

log = logging.getLogger(__name__)

# SEATED: a member in one of these states holds their seat (and is busy on the panel's dates
# or, with a session, its interval); defined in judge_bookings, which books them.
# The roles the draw fills and the caps count; recorders and reserves are neither.
SEAT_ROLES = (PanelRole.CHIEF, PanelRole.JUDGE)


# --- locks ------------------------------------------------------------------------------------

def lock_seats() -> None:
    """Serialise every change of who sits where, until the transaction ends (the named lock
    JUDGE_SEATS). Taken before any panel row lock: one lock order. Raises Busy."""
    locks.hold(locks.LockName.JUDGE_SEATS)


def lock_panel(panel_id: int) -> Panel:
    """The panel re-read under a row lock. Raises NotFound, Busy."""
    panel = locks.fetch_locked(Panel, panel_id)
    if panel is None:
        raise NotFound(_("No such panel."))
    return panel


def require_panel_manager(actor, facts: EventFacts) -> None:
    """Raises PermissionDenied unless `actor` holds judges.manage for the event's committee
    (or everywhere); the system (the CLI, the demo) may."""
    require(actor, "judges.manage", facts.scope)


# --- words ------------------------------------------------------------------------------------

def _names(model, ids: Iterable[int], attribute: str) -> dict[int, str]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {row_id: value for row_id, value in
            db.session.execute(select(model.id, getattr(model, attribute)).where(model.id.in_(ids)))}


def exclusion_texts(excluded: Mapping[int, Sequence[drawing.Exclusion]]) -> dict[int, list[str]]:
    """Each candidate's reasons in the reader's language, with units and people named."""
    unit_ids, person_ids = set(), set()
    for reasons in excluded.values():
        for e in reasons:
            unit_ids.update([e.params["organisation_id"]] if e.code == "compatriot" else e.params.get("unit_ids", ()))
            person_ids.update(e.params.get("person_ids", ()))
    units, persons = _names(Organisation, unit_ids, "name"), _names(Person, person_ids, "full_name")
    return {pid: [_exclusion_text(e, units, persons) for e in reasons] for pid, reasons in excluded.items()}


def _exclusion_text(e: drawing.Exclusion, units: dict, persons: dict) -> str:
    p = e.params
    if e.code == "speciality":
        return _("does not mark this trade")
    if e.code == "level":
        return _("level below the panel's minimum")
    if e.code == "qualification":
        return _("no certificate valid from %(first)s to %(last)s", first=p["starts_on"], last=p["ends_on"])
    if e.code == "availability":
        return _("not declared available on every day from %(first)s to %(last)s", first=p["starts_on"],
                 last=p["ends_on"])
    if e.code == "busy" and "starts_at" in p:
        return _("is booked elsewhere %(when)s", when=_local_span(p["starts_at"], p["ends_at"]))
    if e.code == "busy":
        return _("sits on another panel from %(first)s to %(last)s", first=p["from"], last=p["to"])
    if e.code == "contestant":
        return _("is a contestant of this event")
    if e.code == "compatriot":
        return _("from the unit of a contestant (%(unit)s)", unit=units.get(p["organisation_id"], p["organisation_id"]))
    if e.code == "declared_unit":
        return _("declared a conflict with a contestant's unit (%(units)s)",
                 units="、".join(str(units.get(u, u)) for u in p["unit_ids"]))
    if e.code == "declared_person":
        return _("declared a conflict with a contestant (%(names)s)",
                 names="、".join(str(persons.get(q, q)) for q in p["person_ids"]))
    return e.code


def _local_span(start: str, end: str) -> str:
    """An interval from a draw record, as people read it in the association's time zone."""
    zone = association_zone()
    first, last = datetime.fromisoformat(start).astimezone(zone), datetime.fromisoformat(end).astimezone(zone)
    return f"{first:%Y-%m-%d %H:%M}–{last.strftime('%H:%M' if first.date() == last.date() else '%Y-%m-%d %H:%M')}"


def infeasible_message(error: drawing.Infeasible, panel: Panel) -> str:
    """Which rule leaves too few judges, and by how many, in the reader's language."""
    p = dict(error.params)
    numbers = {"available": p["available"], "needed": p["needed"], "short": p["short"]}
    if error.code == "pool":
        return _("The pool has only %(available)d active judges; %(needed)d are needed (%(short)d short).", **numbers)
    if error.code == "speciality":
        trade = db.session.get(Speciality, panel.speciality_id)
        return _("Only %(available)d judges mark the trade %(trade)s; %(needed)d are needed (%(short)d short).",
                 trade=trade.name if trade else "", **numbers)
    if error.code == "level":
        level = level_label(panel.min_level, str(get_locale() or "")) if panel.min_level is not None else ""
        return _("Only %(available)d of them are of level %(level)s or above; %(needed)d are needed "
                 "(%(short)d short).", level=level, **numbers)
    if error.code == "qualification":
        return _("Only %(available)d of them hold a certificate valid for these dates; %(needed)d are needed "
                 "(%(short)d short).", **numbers)
    if error.code == "availability":
        return _("Only %(available)d of them declared they are available on every day from %(first)s to %(last)s; "
                 "%(needed)d are needed (%(short)d short).", first=panel.starts_on.isoformat(),
                 last=panel.ends_on.isoformat(), **numbers)
    if error.code == "busy":
        return _("Only %(available)d of them sit on no other panel at an overlapping time; %(needed)d are needed "
                 "(%(short)d short).", **numbers)
    if error.code == "conflicts":
        return _("Only %(available)d of them have no conflict with this event's contestants; %(needed)d are needed "
                 "(%(short)d short).", **numbers)
    if error.code == "unit_cap":
        return _("With at most %(cap)d judges from one unit, only %(available)d seats can be filled; %(needed)d are "
                 "needed (%(short)d short).", cap=p.get("max_per_unit") or 0, **numbers)
    return _("With at most %(cap)d judges from one region, only %(available)d seats can be filled; %(needed)d are "
             "needed (%(short)d short).", cap=p.get("max_per_region") or 0, **numbers)


# --- telling the judge -----------------------------------------------------------------------

def role_label(role: PanelRole) -> LazyString:
    """The seat's name, in the language of whoever reads it (a notification is rendered later)."""
    return LazyString(panel_role_label, role)


def notify_invited(member: PanelMember, panel: Panel, facts: EventFacts) -> None:
    """Tell the judge of their invitation ("panel.invitation", hooks.py), in the caller's
    transaction: in their inbox (and by e-mail per their choice), or by e-mail when they have no
    account. A judge with neither is told by staff, who see the invitation on the panel page."""
    profile = member.profile or db.session.get(JudgeProfile, member.profile_id)
    tell(profile.person, "panel.invitation", key=f"panel:{panel.id}:invited:{member.id}", link="/judges/me",
         context=panel_context(member, panel, facts))


def panel_context(member: PanelMember, panel: Panel, facts: EventFacts) -> dict:
    return {"event": facts.title, "role": role_label(member.role), "panel": panel.name,
            "first": panel.starts_on.isoformat(), "last": panel.ends_on.isoformat()}


# --- running a draw ---------------------------------------------------------------------------

@dataclass
class DrawRequest:
    """How the seed comes: from the secure random source, or typed in front of witnesses."""

    witnessed: bool = False
    seed: str | None = None
    witnesses: str | None = None


class DrawInfeasible(Conflict):
    """The seats cannot be filled; `infeasible` carries the rule, the numbers and every
    excluded candidate's reasons for the page to show."""

    code = "draw_infeasible"

    def __init__(self, message: str, infeasible: drawing.Infeasible):
        super().__init__(message)
        self.infeasible = infeasible


def _seed(request: DrawRequest) -> tuple[str, SeedSource, str | None]:
    try:
        seed = seeded_draw.choose_seed(witnessed=request.witnessed, typed=request.seed, witnesses=request.witnesses)
    except seeded_draw.SeedRefused as refused:
        if refused.reason == "too_long":
            raise InvalidInput(_("At most %(n)d characters.", n=MAX_WITNESSES), field="witnesses") from None
        if refused.reason == "invalid":
            raise InvalidInput(_("Please type the seed the witnesses agreed on (1 to %(n)d characters).",
                                 n=seeded_draw.MAX_SEED_LENGTH), field="seed") from None
        raise InvalidInput(_("A seed typed by hand needs the names of the witnesses who saw it."),
                           field="witnesses") from None
    return seed.value, SeedSource.WITNESSED if seed.is_witnessed else SeedSource.SECURE, seed.witnesses


def already_drawn(panel: Panel) -> Conflict:
    """The answer for a draw of a panel that is not open: who drew it, and when."""
    record = panel.draw or (db.session.get(Draw, panel.draw_id) if panel.draw_id else None)
    if record is None:
        return Conflict(_("This panel is not open for a draw."))
    ran_by = db.session.get(User, record.ran_by_id)
    when = to_local(record.ran_at, current_app.config["JIYI_TIMEZONE"]).strftime("%Y-%m-%d %H:%M")
    return Conflict(_("This panel was already drawn by %(name)s at %(time)s.",
                      name=ran_by.display_name if ran_by else "?", time=when))


def run_draw(panel: Panel, request: DrawRequest, *, actor) -> Draw:
    """Draw the panel's chiefs, judges and reserves from the pool as it stands, and invite them.

    Raises InvalidInput for a bad seed or missing witnesses, PermissionDenied, Conflict when
    the panel was drawn already (by whom, when), DrawInfeasible naming the rule that leaves
    too few judges. On any of them nothing is written.
    """
    panel_id, event_id = panel.id, panel.event_id
    require_panel_manager(actor, event_facts(event_id))
    seed, source, witnesses = _seed(request)
    lock_seats()
    panel = lock_panel(panel_id)
    if panel.status != PanelStatus.OPEN:
        raise already_drawn(panel)
    facts = event_facts(event_id)   # the entries as they stand, under the lock
    constraints = constraints_of(panel, facts)
    pool = candidates_for(panel)
    try:
        result = drawing.draw(pool, constraints, seed)
    except drawing.Infeasible as error:
        raise DrawInfeasible(infeasible_message(error, panel), error) from None
    claimed = db.session.execute(update(Panel).where(Panel.id == panel.id, Panel.status == PanelStatus.OPEN)
                                 .values(status=PanelStatus.DRAWN)).rowcount
    if claimed != 1:  # the row lock makes this unreachable; the condition is the second guard
        raise Conflict(_("This panel is not open for a draw."))
    record = Draw(panel_id=panel.id, seed=seed, seed_source=source, algorithm=drawing.ALGORITHM,
                  constraints=draw_record.constraints_to_json(constraints),
                  candidates=draw_record.candidates_to_json(pool), result=draw_record.result_to_json(result),
                  witnesses=witnesses, ran_by_id=actor.id, ran_at=utcnow())
    db.session.add(record)
    db.session.flush()
    panel.status, panel.draw_id = PanelStatus.DRAWN, record.id
    members = _seat_drawn(panel, result)
    judge_bookings.book_seats(panel, members, actor=actor)
    audit.record("panel.drawn", panel, actor=actor, before={"status": PanelStatus.OPEN.value},
                 after={"status": PanelStatus.DRAWN.value, "draw_id": record.id, "seed_source": source.value,
                        "chiefs": list(result.chiefs), "judges": list(result.judges),
                        "reserves": list(result.reserves)})
    for member in members:
        if member.status == MemberStatus.INVITED:
            notify_invited(member, panel, facts)
    log.info("panel %s drawn by user %s: draw %s", panel_id, actor.id, record.id)
    return record


def _seat_drawn(panel: Panel, result: drawing.DrawResult) -> list[PanelMember]:
    """Chiefs and judges invited; reserves on standby, in the order they will be asked."""
    now = utcnow()
    members = []
    for role, profile_id in result.assignments():
        if role is drawing.Role.RESERVE:
            member = PanelMember(panel_id=panel.id, profile_id=profile_id, role=PanelRole.RESERVE,
                                 reserve_order=result.reserves.index(profile_id) + 1, status=MemberStatus.STANDBY,
                                 source=MemberSource.DRAW, invited_at=now)
        else:
            member = PanelMember(panel_id=panel.id, profile_id=profile_id, role=PanelRole(role.value),
                                 status=MemberStatus.INVITED, source=MemberSource.DRAW, invited_at=now)
        db.session.add(member)
        members.append(member)
    db.session.flush()
    return members


# --- checking a draw --------------------------------------------------------------------------

@dataclass(frozen=True)
class Difference:
    """One way the stored draw and its recomputation disagree."""

    what: str        # "algorithm", "record", "result", "chiefs", "judges", "reserves", "excluded:<id>" …
    stored: object
    recomputed: object

    def __str__(self) -> str:
        return f"{self.what}: stored {self.stored!r}, recomputed {self.recomputed!r}"


def verify(record: Draw) -> list[Difference]:
    """Recompute the draw from its stored seed, constraints and candidates; [] when it is
    identical to the stored result, else every difference."""
    if record.algorithm != drawing.ALGORITHM:
        return [Difference("algorithm", record.algorithm, drawing.ALGORITHM)]
    try:
        constraints = draw_record.constraints_from_json(record.constraints)
        pool = draw_record.candidates_from_json(record.candidates)
        stored = record.result if isinstance(record.result, dict) else {}
    except ValueError as error:
        return [Difference("record", "unreadable", str(error))]
    try:
        again = draw_record.result_to_json(drawing.draw(pool, constraints, record.seed))
    except drawing.Infeasible as error:
        return [Difference("result", "drawn", f"infeasible: {error}")]
    except ValueError as error:
        return [Difference("record", "unreadable", str(error))]
    differences = [Difference(key, stored.get(key), again[key]) for key in
                   ("chiefs", "judges", "reserves", "reserves_short", "passed_over") if stored.get(key) != again[key]]
    stored_excluded = stored.get("excluded") if isinstance(stored.get("excluded"), dict) else {}
    for pid in sorted(set(stored_excluded) | set(again["excluded"]), key=lambda k: (len(str(k)), str(k))):
        if stored_excluded.get(pid) != again["excluded"].get(pid):
            differences.append(Difference(f"excluded:{pid}", stored_excluded.get(pid), again["excluded"].get(pid)))
    extra = sorted(set(stored) - set(again))
    differences += [Difference(key, stored[key], None) for key in extra]
    return differences
