"""Draws recorded before the seeded-draw machinery moved to app.core.seeded_draw still verify.

draw_records_v1.json holds three draws made with the code as it stood before the move
(a secure seed with every kind of exclusion; a witnessed seed typed with full-width
digits, with unit and region caps that pass judges over; reserves asked for but short).
`flask judges verify-draw` must find each of them identical, now and after any refactoring:
a change that alters a recorded draw needs a new ALGORITHM, not a new fixture.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.judges import draw as drawing, draw_record
from app.judges.models import Draw, SeedSource
from tests.factories import staff
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import event_with_contestants, make_panel

RECORDS = json.loads((Path(__file__).parent / "draw_records_v1.json").read_text(encoding="utf-8"))


def test_the_fixture_covers_caps_exclusions_short_reserves_and_both_seed_sources():
    assert {r["seed_source"] for r in RECORDS} == {"secure", "witnessed"}
    assert any(r["result"]["passed_over"] for r in RECORDS)
    assert any(r["result"]["reserves_short"] for r in RECORDS)
    assert any(r["result"]["excluded"] for r in RECORDS)


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r["seed"][:12])
def test_a_recorded_draw_is_recomputed_identically(record):
    again = drawing.draw(draw_record.candidates_from_json(record["candidates"]),
                         draw_record.constraints_from_json(record["constraints"]), record["seed"])
    assert draw_record.result_to_json(again) == record["result"]


def test_verify_draw_finds_every_recorded_draw_identical(app, db):
    panel = make_panel(event_with_contestants(), SpecialityFactory())
    runner = staff()
    ids = []
    for record in RECORDS:
        row = Draw(panel_id=panel.id, seed=record["seed"], seed_source=SeedSource(record["seed_source"]),
                   algorithm=record["algorithm"], constraints=record["constraints"],
                   candidates=record["candidates"], result=record["result"], witnesses=record["witnesses"],
                   ran_by_id=runner.id)
        db.session.add(row)
        db.session.flush()
        ids.append(row.id)
    db.session.commit()
    for draw_id in ids:
        outcome = app.test_cli_runner().invoke(args=["judges", "verify-draw", str(draw_id)])
        assert outcome.exit_code == 0, outcome.output
        assert outcome.output.strip().endswith("identical")
