"""World Aquatics diving (Rostock Grand Prix 2024) through the real pipeline: a stored marking
scheme, the marks through the preview service and through POST /api/v1/scoring/preview —
every dive's official points and every diver's total reproduced exactly."""
from __future__ import annotations

from decimal import Decimal

from app.scoring.services import preview, schemes
from tests.factories import EventFactory
from tests.scoring.support import diving_definition, diving_events


def test_every_dive_and_every_total_comes_out_as_published(db):
    scheme = schemes.create_scheme(EventFactory(), "跳水 1m/3m/10m", diving_definition())
    db.session.commit()
    stored = schemes.definition_of(db.session.get(type(scheme), scheme.id).current)
    events = diving_events()
    assert len(events) >= 10
    dives = divers = 0
    for (discipline, phase), official in events.items():
        result = preview.preview(stored, preview.lines_from_text("\n".join(official["lines"])))
        for contestant in result.contestants:
            (aspect,) = contestant.aspects
            for attempt in aspect.attempts:
                assert attempt.points.points == official["dives"][(contestant.id, attempt.number)], (
                    discipline, phase, contestant.id, attempt.number)
                assert len(attempt.figures.aggregated.kept) == 3
                dives += 1
            total, rank = official["totals"][contestant.id]
            assert contestant.total == total, (discipline, phase, contestant.id)
            assert contestant.place == rank, (discipline, phase, contestant.id)
            divers += 1
    assert dives == sum(len(e["dives"]) for e in events.values()) and divers == sum(len(e["totals"]) for e in events.values())


def test_the_next_best_dive_can_break_the_official_tie_for_fourth(db):
    official = diving_events()[("Women 10m Platform", "Semifinal")]
    tied = preview.preview(diving_definition(), preview.lines_from_text("\n".join(official["lines"])))
    assert [(c.id, c.place, c.shared) for c in tied.contestants[3:5]] == [
        ("FUNG Katelyn", 4, True), ("ANTOLINO Valeria", 4, True)]
    definition = diving_definition() | {"tie_breaks": [{"kind": "next_best", "key": "dives", "higher_is_better": True}]}
    broken = preview.preview(definition, preview.lines_from_text("\n".join(official["lines"])))
    fourth, fifth = broken.contestants[3:5]
    assert (fourth.place, fifth.place, fifth.decided_by) == (4, 5, "next_best:dives")
    assert fourth.tie_break_values["next_best:dives"] > fifth.tie_break_values["next_best:dives"]


def test_a_dive_marked_off_the_scale_is_named_with_its_judge(db):
    lines = preview.lines_from_text("DIXON Matthew,dives,1,2.6,7.5,8.0,7.5,7.5,8.0,7.5,7.3\n"
                                    "HOULDEN Jordan,dives,1,2.6,7.5,8.0,7.5,7.5,8.0,7.5")
    try:
        preview.preview(diving_definition(), lines)
    except Exception as error:  # noqa: BLE001 — the InvalidInput with every problem
        texts = [message for _field, message in error.problems]
    assert len(texts) == 2
    assert "DIXON Matthew" in texts[0] and "7" in texts[0] and "HOULDEN Jordan" in texts[1]
    assert Decimal("7.3")  # the off-step mark is the problem, not the sum
