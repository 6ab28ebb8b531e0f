"""The demo judge pool for `flask seed-demo`: trades, and about a dozen judges and experts
across the demo units and regions — the `judge` login and invented unit members — with
certificates (two expiring soon, one expired), dates they are available in the weeks after
the demo contest's registration closes, and one declared conflict.

Idempotent: a person already in the pool is left as they are. Everything here is invented.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import Person, User
from app.core import audit
from app.core.time import local_today
from app.extensions import db
from app.judges.models import (Availability, DeclaredConflict, JudgeKind, JudgeLevel, JudgeProfile, Qualification,
                               Speciality)

LEVELS = [("national", "国家级", "National", 30), ("provincial", "省级", "Provincial", 20),
          ("municipal", "市级", "Municipal", 10)]
SPECIALITIES = [("cyber-admin", "网络安全管理员"), ("electrician", "电工"), ("welder", "焊工"),
                ("bricklayer", "砌筑工"), ("rebar", "钢筋工")]
JUDGE_LOGIN = "judge"
HOW_MANY = 12

# One line per demo judge, in order: kind, level, trades, and the certificate's expiry in
# days from today (None: no expiry; negative: expired already).
PROFILES = [
    (JudgeKind.BOTH, "national", ("cyber-admin",), 900),         # the `judge` login
    (JudgeKind.JUDGE, "national", ("cyber-admin", "electrician"), 40),
    (JudgeKind.JUDGE, "provincial", ("cyber-admin",), 700),
    (JudgeKind.EXPERT, "national", ("cyber-admin",), None),
    (JudgeKind.JUDGE, "provincial", ("electrician",), 75),
    (JudgeKind.JUDGE, "municipal", ("welder",), -20),
    (JudgeKind.JUDGE, "provincial", ("welder", "electrician"), 500),
    (JudgeKind.BOTH, "national", ("bricklayer", "rebar"), 1000),
    (JudgeKind.JUDGE, "municipal", ("bricklayer",), 365),
    (JudgeKind.JUDGE, "provincial", ("cyber-admin",), 800),
    (JudgeKind.EXPERT, "provincial", ("rebar",), None),
    (JudgeKind.JUDGE, "municipal", ("cyber-admin", "welder"), 600),
]


def _ensure_lists() -> tuple[dict[str, JudgeLevel], dict[str, Speciality]]:
    levels = {level.code: level for level in db.session.scalars(select(JudgeLevel))}
    for code, name, name_en, rank in LEVELS:
        if code not in levels:
            levels[code] = JudgeLevel(code=code, name=name, name_en=name_en, rank=rank)
            db.session.add(levels[code])
    trades = {trade.code: trade for trade in db.session.scalars(select(Speciality))}
    for code, name in SPECIALITIES:
        if code not in trades:
            trades[code] = Speciality(code=code, name=name)
            db.session.add(trades[code])
    db.session.flush()
    return levels, trades


def _demo_people() -> list[Person]:
    """The `judge` login's person first, then invented unit members without a login."""
    judge = db.session.scalar(select(Person).join(User, User.person_id == Person.id)
                              .where(User.username == JUDGE_LOGIN))
    members = db.session.scalars(select(Person).outerjoin(User, User.person_id == Person.id)
                                 .where(User.id.is_(None), Person.organisation_id.is_not(None))
                                 .order_by(Person.id).limit(HOW_MANY - 1))
    return ([judge] if judge is not None else []) + list(members)


def seed_judges(today: date | None = None) -> None:
    """Add the demo trades and judges that are not there yet (dates counted from `today`,
    by default today in the association's time zone)."""
    today = today or local_today()
    levels, trades = _ensure_lists()
    in_pool = set(db.session.scalars(select(JudgeProfile.person_id)))
    for index, (person, (kind, level_code, trade_codes, expires_in)) in enumerate(zip(_demo_people(), PROFILES)):
        if person.id in in_pool:
            continue
        profile = JudgeProfile(person=person, kind=kind, level=levels[level_code],
                               specialities=[trades[code] for code in trade_codes],
                               region=person.organisation.province if person.organisation else None,
                               notes="演示数据：虚构的裁判员。")
        db.session.add(profile)
        expires_on = None if expires_in is None else today + timedelta(days=expires_in)
        issued_on = min(today, expires_on or today) - timedelta(days=3 * 365)
        db.session.add(Qualification(profile=profile, number=f"JY-{2023 + index % 3}-{index + 1:04d}",
                                     issuer="中国职工技术协会", issued_on=issued_on, expires_on=expires_on))
        # Free in the weeks after the demo contest's registration closes (about 27 days from now).
        db.session.add(Availability(profile=profile, starts_on=today + timedelta(days=28),
                                    ends_on=today + timedelta(days=70), note="演示"))
        if index == 0:
            other_unit = db.session.scalar(select(Person.organisation_id).where(
                Person.organisation_id.is_not(None), Person.organisation_id != person.organisation_id).limit(1))
            if other_unit is not None:
                db.session.add(DeclaredConflict(profile=profile, organisation_id=other_unit,
                                                reason="演示：曾在该单位任职。"))
        audit.record("judge.created", profile, actor=None, after={"demo": True})
    db.session.commit()


# --- panels (裁判组) ----------------------------------------------------------------------------------

# name, trade, first day (days from today), days, chiefs, judges, reserves, drawn now?
DEMO_PANELS = [
    ("团体赛裁判组", "cyber-admin", 35, 3, 1, 5, 0, True),
    ("个人赛决赛裁判组", "cyber-admin", 50, 3, 1, 2, 1, False),
]


def seed_panels(event_ids: list[int], *, actor, today: date | None = None) -> None:
    """A panel for each demo event in `event_ids` (in DEMO_PANELS order) that has none of that
    name yet. The first is drawn now with a secure seed by `actor` — its seats are as many as
    the judges of its trade who may sit, so every one of them (the `judge` login too) is
    invited; the second waits for staff to draw it. Both are set up and drawn through the
    services, as staff would."""
    from app.judges.models import CompatriotRule, Panel
    from app.judges.services import draws, panels

    today = today or local_today()
    trades = {trade.code: trade for trade in db.session.scalars(select(Speciality))}
    for event_id, (name, trade, starts_in, days, chiefs, judges, reserves, drawn_now) in zip(event_ids, DEMO_PANELS):
        if trade not in trades or db.session.scalar(select(Panel.id).where(Panel.event_id == event_id,
                                                                           Panel.name == name)) is not None:
            continue
        first = today + timedelta(days=starts_in)
        panel = panels.create_panel(event_id, panels.PanelFields(
            name=name, starts_on=first, ends_on=first + timedelta(days=days - 1), speciality_id=trades[trade].id,
            chiefs=chiefs, judges=judges, reserves=reserves, max_per_unit=None,
            compatriot_rule=CompatriotRule.EXCLUDE), actor=actor)
        if drawn_now:
            try:
                draws.run_draw(panel, draws.DrawRequest(witnesses="演示：无见证人"), actor=actor)
            except draws.DrawInfeasible:
                pass  # a pool changed by hand since: the panel stays open for staff to draw
