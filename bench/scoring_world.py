"""The world of the scoring benchmarks, built in the app itself on the benchmark's (migrated)
database: `python -m bench.scoring_world SPEC_JSON OUT_JSON`, run by a benchmark's `prepare`
with the app's settings in its environment.

`events` events of one competition, each with `contestants` approved entries (people, logins
and API tokens from bench.world.create_world, entries written with one INSERT … SELECT), one
marking scheme (made through app.scoring.services.schemes) of `aspects` judgement aspects on a
0–10 scale in halves (`judges` marks each, trimmed mean without the highest and the lowest), in
criteria of five, and one panel of `judges` seated judges, each with their score sheet. With
`marks`, every judge has marked every contestant on every aspect and handed the sheet in
(written with COPY), and the version is frozen: what live results read.

OUT_JSON says, per event, the scheme, panel, aspect ids (in criteria), registration ids, and per
judge the sheet id and the API token.
"""

import json
import sys
from datetime import date, timedelta

from bench.world import create_world

CRITERION = 5   # aspects per criterion: one tablet screen


def definition(aspects: int, judges: int) -> dict:
    rounding = {"rule": "half_up", "places": 2}
    trim = 1 if judges >= 3 else 0

    def aspect(n: int) -> dict:
        return {"key": f"a{n:02d}", "name": f"评分项{n}", "maximum": "10", "kind": "judgement",
                "scale": {"min": "0", "max": "10", "step": "0.5"}, "allowed_spread": "2", "judges": judges,
                "aggregation": {"method": "trimmed_mean" if trim else "mean", "drop_high": trim, "drop_low": trim},
                "attempts": {"rule": "sum", "count": None, "best_k": 1}, "uses_factor": False, "rounding": rounding}

    criteria = [{"name": f"模块{c + 1}", "aspects": [aspect(n) for n in range(c * CRITERION + 1,
                                                                          min(aspects, (c + 1) * CRITERION) + 1)]}
                for c in range((aspects + CRITERION - 1) // CRITERION)]
    return {"total_rounding": rounding, "tie_breaks": [], "award": {"method": "none", "levels": [], "rounding": "half_up"},
            "standardisation": {"method": "none", "mean": None, "spread": None, "benchmark": None, "rounding": rounding},
            "components": [{"key": "practical", "name": "实操", "weight": None, "scale_to": None, "is_theory": False,
                            "rounding": rounding, "criteria": criteria}]}


def _decimals(plain: dict) -> dict:
    from app.scoring.services.standings import definition_from_plain
    return definition_from_plain(plain)


def mark_value(registration: int, aspect: int, judge: int) -> str:
    """A judge's mark on the 0–10 scale in halves: the work's worth (3 to 9, by contestant
    and aspect) give or take up to one point (by judge), as judges who mostly agree mark."""
    worth = 6 + (registration * 7 + aspect * 13) % 13
    offset = (registration * 31 + aspect * 17 + judge * 29 + registration * aspect * judge) % 5 - 2
    return str((worth + offset) / 2).removesuffix(".0")


def build(spec: dict) -> dict:
    from sqlalchemy import select, text

    from app.competitions.models import Event
    from app.core.audit import SYSTEM
    from app.extensions import db
    from app.judges.models import (CompatriotRule, JudgeKind, JudgeLevel, JudgeProfile, MemberSource, MemberStatus,
                                   Panel, PanelMember, PanelRole, Speciality)
    from app.scoring.models import ScoreSheet, SheetStatus
    from app.scoring.services import schemes
    from app.scoring.services.visibility import aspects_of

    events, contestants, judges = spec["events"], spec["contestants"], spec["judges"]
    conn = db.session.connection().connection.driver_connection
    first_event, tokens = create_world(conn, events * (judges + contestants))
    columns = [c for (c,) in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'events' AND column_name NOT IN"
        " ('id', 'code', 'name') ORDER BY ordinal_position")]
    event_ids = [first_event]
    for n in range(1, events):
        listed = ", ".join(columns)
        (event_id,) = conn.execute(
            f"INSERT INTO events (code, name, {listed}) SELECT %s, %s, {listed} FROM events WHERE id = %s RETURNING id",
            (f"B{n}", f"基准赛项{n}", first_event)).fetchone()
        event_ids.append(event_id)
    level = db.session.scalar(select(JudgeLevel).order_by(JudgeLevel.rank.desc()).limit(1))
    speciality = Speciality(code="bench", name="基准工种")
    db.session.add(speciality)
    db.session.flush()
    start = date.today()
    made = []
    plain = definition(spec["aspects"], judges)
    for index, event_id in enumerate(event_ids):
        judge_people = range(index * judges + 1, (index + 1) * judges + 1)
        first = events * judges + index * contestants + 1
        conn.execute(
            "INSERT INTO registrations (event_id, person_id, organisation_id, status, is_active, holds_seat,"
            " counts_against_quota, channel, exam_number, created_at, updated_at)"
            " SELECT %s, id, organisation_id, 'approved', true, true, false, 'staff', lpad((id - %s + 1)::text, 5, '0'),"
            " now(), now() FROM persons WHERE id BETWEEN %s AND %s",
            (event_id, first, first, first + contestants - 1))
        registrations = [r for (r,) in conn.execute(
            "SELECT id FROM registrations WHERE event_id = %s ORDER BY id", (event_id,))]
        event = db.session.get(Event, event_id)
        scheme = schemes.create_scheme(event, "基准评分", _decimals(plain), actor=SYSTEM)
        panel = Panel(event_id=event_id, name=f"裁判组{index + 1}", starts_on=start, ends_on=start + timedelta(days=2),
                      speciality_id=speciality.id, chiefs=0, judges=judges, reserves=0,
                      compatriot_rule=CompatriotRule.EXCLUDE)
        db.session.add(panel)
        db.session.flush()
        version = scheme.current
        sheets = []
        for person_id in judge_people:
            profile = JudgeProfile(person_id=person_id, kind=JudgeKind.JUDGE, level_id=level.id, region="北京市")
            db.session.add(profile)
            db.session.flush()
            member = PanelMember(panel_id=panel.id, profile_id=profile.id, role=PanelRole.JUDGE,
                                 status=MemberStatus.ACCEPTED, source=MemberSource.MANUAL)
            db.session.add(member)
            db.session.flush()
            sheet = ScoreSheet(version_id=version.id, panel_id=panel.id, member_id=member.id,
                               status=SheetStatus.SUBMITTED if spec["marks"] else SheetStatus.DRAFT)
            db.session.add(sheet)
            db.session.flush()
            sheets.append({"sheet_id": sheet.id, "member_id": member.id, "token": tokens[person_id - 1]})
        aspect_ids = [a.id for a in aspects_of(version.id)]
        if spec["marks"]:
            schemes.freeze(version)
            db.session.flush()
            _copy_marks(conn, sheets, aspect_ids, registrations)
        made.append({"event_id": event_id, "scheme_id": scheme.id, "panel_id": panel.id,
                     "criteria": [aspect_ids[i:i + CRITERION] for i in range(0, len(aspect_ids), CRITERION)],
                     "registrations": registrations, "judges": sheets})
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return {"events": made}


def _copy_marks(conn, sheets: list[dict], aspect_ids: list[int], registrations: list[int]) -> None:
    with conn.cursor().copy("COPY marks (sheet_id, member_id, aspect_id, registration_id, attempt, value, status,"
                            " client_id, created_at, updated_at) FROM STDIN") as copy:
        for judge, sheet in enumerate(sheets):
            for registration in registrations:
                for aspect in aspect_ids:
                    copy.write_row((sheet["sheet_id"], sheet["member_id"], aspect, registration, 1,
                                    mark_value(registration, aspect, judge), "submitted",
                                    f"bench-{registration}-{aspect}", "2026-01-01T00:00:00+00", "2026-01-01T00:00:00+00"))


def main() -> None:
    spec = json.loads(sys.argv[1])
    from app import create_app
    app = create_app()
    with app.app_context():
        world = build(spec)
    with open(sys.argv[2], "w") as out:
        json.dump(world, out)


if __name__ == "__main__":
    main()
