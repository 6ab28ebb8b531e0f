"""Demo competitions for `flask seed-demo`: a national cybersecurity contest with two open
events (one individual, one team) and a construction contest whose registration opens later.
Idempotent: found by name, never duplicated. Everything here is invented."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from app.competitions.models import Competition, CompetitionLevel, Event
from app.extensions import db
from app.orgs.models import Committee

COMPETITIONS = [
    ("2026年全国职工网络安全职业技能竞赛", "cyber", CompetitionLevel.NATIONAL, [
        # code, name, team?, capacity, opens in (days), open for (days)
        ("WA", "网络安全管理员", False, 120, -3, 30),
        ("ST", "网络安全攻防（团体）", True, 24, -3, 30),
    ]),
    ("2026年建设行业职业技能竞赛", "construction", CompetitionLevel.INDUSTRY, [
        ("GJ", "钢筋工", False, 60, 14, 21),
    ]),
]


def seed_competitions() -> None:
    """Add the demo competitions that are not there yet."""
    now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    for name, committee_code, level, events in COMPETITIONS:
        if db.session.scalar(select(Competition.id).where(Competition.name == name)) is not None:
            continue
        committee = db.session.scalar(select(Committee).where(Committee.code == committee_code))
        competition = Competition(name=name, year=2026, level=level, committee=committee, is_public=True,
                                  max_events_per_person=2,
                                  description="演示数据：本竞赛为虚构，仅用于体验报名流程。")
        db.session.add(competition)
        for code, event_name, is_team, capacity, opens_in, open_for in events:
            opens_at = now + timedelta(days=opens_in)
            db.session.add(Event(competition=competition, code=code, name=event_name, is_team=is_team,
                                 team_size_min=2 if is_team else 1, team_size_max=3 if is_team else 1,
                                 capacity=capacity, opens_at=opens_at, closes_at=opens_at + timedelta(days=open_for),
                                 min_age=18, max_age=60, requires_member_unit=True, seats_taken=0,
                                 waitlist_issued=0, exam_numbers_issued=0))
