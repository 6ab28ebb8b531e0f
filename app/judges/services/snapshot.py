"""A draw's snapshot: the panel's constraints and the judges as candidates, as they stand now.

Each judge as a draw candidate: unit, region, level, trades, certificates, declared dates,
declared conflicts, and when they are busy — for a panel on dates, the other panels they sit
on at overlapping dates; for a panel with a session (场次), the times they are held elsewhere
during its interval (their person bookings, this panel's own left out, and the whole local
days of panels still on dates). Read under the seat lock by every path that seats a judge.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.time import association_zone
from app.extensions import db
from app.judges import draw as drawing
from app.judges.models import CompatriotRule, JudgeLevel, JudgeProfile, Panel, PanelMember
from app.judges.services import judge_bookings
from app.judges.services.facts import EventFacts
from app.judges.services.judge_bookings import SEATED
from app.scheduling.models import Booking


def constraints_of(panel: Panel, facts: EventFacts) -> drawing.Constraints:
    """What the panel asks of its judges, with the event's contestants as they are now."""
    min_rank = None
    if panel.min_level_id is not None:
        min_rank = db.session.scalar(select(JudgeLevel.rank).where(JudgeLevel.id == panel.min_level_id))
    return drawing.Constraints(
        speciality_id=panel.speciality_id, starts_on=panel.starts_on, ends_on=panel.ends_on,
        chiefs=panel.chiefs, judges=panel.judges, reserves=panel.reserves, min_level_rank=min_rank,
        max_per_unit=panel.max_per_unit, max_per_region=panel.max_per_region,
        contestant_unit_ids=facts.contestant_unit_ids, contestant_person_ids=facts.contestant_person_ids,
        exclude_compatriots=panel.compatriot_rule == CompatriotRule.EXCLUDE,
        starts_at=panel.starts_at if panel.session_id is not None else None,
        ends_at=panel.ends_at if panel.session_id is not None else None)


def _busy(starts_on: date, ends_on: date, other_than_panel: int | None,
          profile_ids: Sequence[int] | None) -> dict[int, list[tuple[date, date]]]:
    """Each judge's seats on other panels whose dates overlap these (the only ones that matter)."""
    query = (select(PanelMember.profile_id, Panel.starts_on, Panel.ends_on)
             .join(Panel, Panel.id == PanelMember.panel_id)
             .where(PanelMember.status.in_(SEATED), Panel.starts_on <= ends_on, Panel.ends_on >= starts_on))
    if other_than_panel is not None:
        query = query.where(Panel.id != other_than_panel)
    if profile_ids is not None:
        query = query.where(PanelMember.profile_id.in_(list(profile_ids)))
    spans: dict[int, list[tuple[date, date]]] = {}
    for profile_id, first, last in db.session.execute(query.order_by(Panel.starts_on, Panel.id)):
        spans.setdefault(profile_id, []).append((first, last))
    return spans


MEMBER_OWNER = judge_bookings.OWNER   # a seated judge's person booking while their panel has a session


def _local_days(first: date, last: date) -> tuple[datetime, datetime]:
    """Whole local days as an aware interval [midnight of `first`, midnight after `last`)."""
    zone = association_zone()
    return (datetime.combine(first, datetime.min.time(), tzinfo=zone),
            datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone))


def _busy_at(starts_at: datetime, ends_at: datetime, panel_id: int,
             profile_ids: Sequence[int] | None) -> dict[int, list[tuple[datetime, datetime]]]:
    """For a panel with a session: each judge's times held elsewhere that overlap its interval —
    their person bookings (a seat on another session's panel, a contestant's seat, a booking by
    hand), this panel's own left out — and the whole local days of panels that still sit on
    dates only."""
    own = select(PanelMember.id).where(PanelMember.panel_id == panel_id)
    query = (select(JudgeProfile.id, Booking.starts_at, Booking.ends_at)
             .join(Booking, Booking.person_id == JudgeProfile.person_id)
             .where(Booking.starts_at < ends_at, Booking.ends_at > starts_at,
                    ~((Booking.owner_kind == MEMBER_OWNER) & Booking.owner_id.in_(own))))
    if profile_ids is not None:
        query = query.where(JudgeProfile.id.in_(list(profile_ids)))
    held: dict[int, list[tuple[datetime, datetime]]] = {}
    for profile_id, first, last in db.session.execute(query):
        held.setdefault(profile_id, []).append((first, last))
    zone = association_zone()
    first_day = starts_at.astimezone(zone).date()
    last_day = (ends_at - timedelta(microseconds=1)).astimezone(zone).date()   # ending at midnight: that day
    dated = (select(PanelMember.profile_id, Panel.starts_on, Panel.ends_on)
             .join(Panel, Panel.id == PanelMember.panel_id)
             .where(PanelMember.status.in_(SEATED), Panel.session_id.is_(None), Panel.id != panel_id,
                    Panel.starts_on <= last_day, Panel.ends_on >= first_day))
    if profile_ids is not None:
        dated = dated.where(PanelMember.profile_id.in_(list(profile_ids)))
    for profile_id, first, last in db.session.execute(dated):
        held.setdefault(profile_id, []).append(_local_days(first, last))
    return {pid: sorted((a.astimezone(timezone.utc), b.astimezone(timezone.utc)) for a, b in spans)
            for pid, spans in held.items()}


def candidates_for(panel: Panel, *, profile_ids: Iterable[int] | None = None,
                   active_only: bool = True) -> list[drawing.Candidate]:
    """The judges as draw candidates for `panel`: busy by its session's interval when it has
    one, by its dates when not."""
    interval = (panel.starts_at, panel.ends_at) if panel.session_id is not None and panel.starts_at else None
    return candidates(panel.starts_on, panel.ends_on, other_than_panel=panel.id, profile_ids=profile_ids,
                      active_only=active_only, interval=interval)


def candidates(starts_on: date, ends_on: date, *, other_than_panel: int | None,
               profile_ids: Iterable[int] | None = None, active_only: bool = True,
               interval: tuple[datetime, datetime] | None = None) -> list[drawing.Candidate]:
    """The judges as they stand now, as draw candidates: every active judge, or the given ones.
    With an `interval` (a panel's session), each also carries the times they are held elsewhere."""
    ids = None if profile_ids is None else sorted(set(profile_ids))
    query = (select(JudgeProfile).order_by(JudgeProfile.id)
             .options(selectinload(JudgeProfile.specialities), selectinload(JudgeProfile.qualifications),
                      selectinload(JudgeProfile.availability), selectinload(JudgeProfile.conflicts)))
    if active_only:
        query = query.where(JudgeProfile.is_active)
    if ids is not None:
        if not ids:
            return []
        query = query.where(JudgeProfile.id.in_(ids))
    busy = _busy(starts_on, ends_on, other_than_panel, ids)
    held = _busy_at(*interval, other_than_panel, ids) if interval is not None else {}
    return [drawing.Candidate(
        profile_id=p.id, person_id=p.person_id, organisation_id=p.person.organisation_id, region=p.region,
        level_rank=p.level.rank, speciality_ids=frozenset(s.id for s in p.specialities),
        qualifications=tuple(sorted((q.issued_on, q.expires_on) for q in p.qualifications)),
        available=tuple(sorted((a.starts_on, a.ends_on) for a in p.availability)),
        busy=tuple(busy.get(p.id, ())),
        conflict_unit_ids=frozenset(c.organisation_id for c in p.conflicts if c.organisation_id is not None),
        conflict_person_ids=frozenset(c.person_id for c in p.conflicts if c.person_id is not None),
        busy_at=tuple(held.get(p.id, ())))
        for p in db.session.scalars(query)]
