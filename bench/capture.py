"""Capture the statements the app sends for `GET /api/v1/me` and for a registration, so that the
floors (bench/floor_app.py) send exactly those, through psycopg, with nothing of the app around.

    python -m bench.capture <database URL> <output file>

Run by the floors' `prepare` in a subprocess with the app's settings (bench.world.server_env),
on the benchmark's prepared world: it adds a sample event of one seat and registers two sample
contestants there through the real app (the first gets the seat, the second the waiting list),
recording every statement and its parameters as psycopg received them. The benchmark's own
event and contestants are not touched.
"""

import pickle
import sys
from datetime import UTC, datetime, timedelta

SAMPLE_EVENT_CODE = "WZ"


def _sample_event(connection) -> int:
    from sqlalchemy import text

    now = datetime.now(UTC)
    return connection.execute(text(
        "INSERT INTO events (competition_id, code, name, is_team, team_size_min, team_size_max, capacity,"
        " opens_at, closes_at, exam_number_pattern, requires_member_unit, seats_taken, waitlist_issued,"
        " exam_numbers_issued, created_at)"
        " SELECT competition_id, :code, '样本赛项', false, 1, 1, 1, :opens, :closes, exam_number_pattern, false,"
        " 0, 0, 0, :now FROM events ORDER BY id LIMIT 1 RETURNING id"),
        {"code": SAMPLE_EVENT_CODE, "opens": now - timedelta(days=1), "closes": now + timedelta(days=30),
         "now": now}).scalar_one()


def capture(tokens: list[str]) -> dict[str, list[tuple[str, dict]]]:
    """{"me": …, "seat": …, "waitlist": …}: each request's statements as (SQL, parameters)."""
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    app = create_app()
    recorded: list[tuple[str, dict]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        recorded.append((statement, dict(parameters or {})))

    with app.app_context():
        with db.engine.begin() as connection:
            event_id = _sample_event(connection)
        event.listen(db.engine, "before_cursor_execute", record)
        client = app.test_client()
        captured = {}
        for name, token, method, path in (
                ("me", tokens[0], "GET", "/api/v1/me"),
                ("seat", tokens[0], "POST", f"/api/v1/events/{event_id}/registrations"),
                ("waitlist", tokens[1], "POST", f"/api/v1/events/{event_id}/registrations")):
            recorded.clear()
            response = client.open(path, method=method, json={} if method == "POST" else None,
                                   headers={"Authorization": f"Bearer {token}"})
            if response.status_code >= 300:
                raise RuntimeError(f"{method} {path}: {response.status_code} {response.get_data(as_text=True)}")
            captured[name] = list(recorded)
        event.remove(db.engine, "before_cursor_execute", record)
    return captured


def main() -> None:
    _database_url, output, tokens_file = sys.argv[1:4]
    tokens = open(tokens_file).read().split()
    with open(output, "wb") as out:
        pickle.dump(capture(tokens), out)


if __name__ == "__main__":
    main()
