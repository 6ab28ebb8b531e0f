"""`python -m bench.live_results WORLD_JSON RUNS OUT_JSON`: time the live results of the first
event of a scoring world (bench/scoring_world.py) in the app itself, beside the bare SQL
aggregate over the same marks, alternately, in one process on one database connection pool.

The bare aggregate is one query: per contestant and aspect the trimmed mean of the handed-in
marks (the highest and the lowest dropped, as the world's scheme says), rounded to 2 places;
their sum; rank(). Live results are `app.scoring.services.standings.live` — the page's and the
snapshot's path: the scheme version, one SELECT of the marks, the arithmetic in Decimal, the
canonical inputs' hash, the entries' names — each run in a fresh session, as a request would.
Both fetch every row. After each live run the process's resident memory is read (after a
garbage collection), so that a leak shows as growth from run to run.

Writes the seconds of each run, the memory, and whether both gave every contestant the same
total.
"""

import gc
import json
import resource
import sys
import time
from decimal import Decimal

AGGREGATE = """
WITH ordered AS (
    SELECT m.registration_id, m.aspect_id, CAST(m.value AS numeric) AS value,
           row_number() OVER (PARTITION BY m.registration_id, m.aspect_id, m.attempt
                              ORDER BY CAST(m.value AS numeric)) AS position,
           count(*) OVER (PARTITION BY m.registration_id, m.aspect_id, m.attempt) AS marks
    FROM marks m JOIN score_sheets s ON s.id = m.sheet_id
    WHERE s.version_id = :version AND m.status IN ('submitted', 'locked')),
scores AS (
    SELECT registration_id, aspect_id, round(avg(value), 2) AS score
    FROM ordered WHERE position > 1 AND position < marks
    GROUP BY registration_id, aspect_id),
totals AS (
    SELECT registration_id, sum(score) AS total FROM scores GROUP BY registration_id)
SELECT registration_id, total, rank() OVER (ORDER BY total DESC) FROM totals
"""


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> None:
    world_path, runs, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(world_path) as source:
        event = json.load(source)["events"][0]

    from sqlalchemy import text

    from app import create_app
    from app.extensions import db
    from app.scoring.models import MarkingScheme
    from app.scoring.services import standings

    app = create_app()
    with app.app_context():
        version_id = db.session.get(MarkingScheme, event["scheme_id"]).current.id
        db.session.remove()

        def aggregate() -> tuple[float, dict]:
            started = time.perf_counter()
            rows = db.session.execute(text(AGGREGATE), {"version": version_id}).all()
            took = time.perf_counter() - started
            db.session.remove()
            return took, {registration: total for registration, total, _rank in rows}

        def live() -> tuple[float, dict, int]:
            started = time.perf_counter()
            found = standings.live(db.session.get(MarkingScheme, event["scheme_id"]))
            took = time.perf_counter() - started
            totals = {c.id: c.total for c in found.field.contestants}
            marks = sum(len(row[4]) for row in found.inputs["marks"])
            del found
            db.session.remove()
            return took, totals, marks

        warm_aggregate, _totals = aggregate()
        warm_live, _totals, _marks = live()
        timings = {"aggregate_s": [], "live_s": [], "resident_mb": [], "warmup_aggregate_s": warm_aggregate,
                   "warmup_live_s": warm_live}
        for _run in range(runs):
            took, sql_totals = aggregate()
            timings["aggregate_s"].append(took)
            took, live_totals, marks = live()
            timings["live_s"].append(took)
            gc.collect()
            timings["resident_mb"].append(round(resident_mb(), 1))
        timings["peak_resident_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        timings["contestants"] = len(live_totals)
        timings["marks"] = marks
        timings["totals_agree"] = (len(sql_totals) == len(live_totals)
                                   and all(Decimal(sql_totals[k]) == v for k, v in live_totals.items()))
    with open(out_path, "w") as out:
        json.dump(timings, out)


if __name__ == "__main__":
    main()
