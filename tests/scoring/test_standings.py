"""Live results from the stored marks: drafts never count; the inputs' hash is canonical."""
from __future__ import annotations

from app.scoring.services import standings
from tests.scoring.results_support import marked_world


def test_live_results_rank_the_handed_in_marks(db):
    world = marked_world(lock=False)
    found = standings.live(world.scheme)
    ids = [e.id for e in world.entries]
    ranked = [(c.id, c.place, str(c.total)) for c in found.field.contestants]
    # quality is the judges' mean; total = quality + time
    assert ranked == [(ids[0], 1, "98.00"), (ids[2], 2, "92.00"), (ids[1], 3, "86.50")]
    assert found.problems == []
    assert found.inputs_hash == standings.hash_of(found.inputs)
    again, _problems = standings.compute_inputs(found.inputs)
    assert standings.outputs_of(again) == found.outputs
    assert found.labels[ids[0]]["name"]
