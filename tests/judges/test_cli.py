"""`flask judges verify-draw ID`: recompute a stored draw and say whether it is identical."""
from __future__ import annotations

from sqlalchemy import update

from app.judges.models import Draw
from app.judges.services import draws
from tests.factories import staff
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import event_with_contestants, judge, make_panel


def a_draw() -> Draw:
    trade = SpecialityFactory()
    for _ in range(5):
        judge(trade)
    return draws.run_draw(make_panel(event_with_contestants(), trade, chiefs=1, judges=2, reserves=2),
                          draws.DrawRequest(), actor=staff())


def verify(app, draw_id) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["judges", "verify-draw", str(draw_id)])
    return result.exit_code, result.output


def test_an_untouched_draw_is_identical(app, db):
    record = a_draw()
    code, output = verify(app, record.id)
    assert code == 0 and output.strip().endswith("identical") and f"draw {record.id}" in output


def test_a_tampered_draw_is_reported_with_each_difference_and_exit_status_1(app, db):
    record = a_draw()
    result = dict(record.result)
    result["reserves"] = list(reversed(result["reserves"]))
    db.session.execute(update(Draw).where(Draw.id == record.id).values(result=result))
    db.session.commit()
    code, output = verify(app, record.id)
    assert code == 1
    assert "1 difference(s)" in output
    assert f"reserves: stored {result['reserves']!r}, recomputed {list(reversed(result['reserves']))!r}" in output


def test_a_tampered_snapshot_changes_what_is_recomputed(app, db):
    record = a_draw()
    seated = set(record.result["chiefs"] + record.result["judges"])
    candidates = [c for c in record.candidates if c["profile_id"] not in seated]  # drop everyone who was drawn
    db.session.execute(update(Draw).where(Draw.id == record.id).values(candidates=candidates))
    db.session.commit()
    code, output = verify(app, record.id)
    assert code == 1 and "result: stored 'drawn', recomputed 'infeasible:" in output


def test_an_unknown_draw_is_an_error(app, db):
    code, output = verify(app, 424242)
    assert code != 0 and "no draw 424242" in output
    code, _output = verify(app, "seven")
    assert code == 2  # click's usage error
