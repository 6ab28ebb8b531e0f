"""One list of the API: GET /api/v1/registrations?event_id=…&per_page=50, by staff, 50 entries a page.

What the request path costs a view that reads: the token lookup, the access rule, the page's
two statements (the entries and their count) and 50 entries written as JSON. No target: its
ratio to the baseline shows that the request path's savings reach every endpoint.
"""

from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench.figures import Figures
from bench.registry import Benchmark, InvariantBroken, Prepared
from bench.world import create_world, migrate, server_env

STAFF = 2000
ENTRIES = 60
PAGE = 50


def prepare(database_url: str, scratch: Path) -> Prepared:
    env = server_env(database_url)
    migrate(env)
    now = datetime.now(UTC)
    with psycopg.connect(database_url) as conn:
        event_id, tokens = create_world(conn, STAFF)
        # Every login is association staff (a grant everywhere): each sees the whole event.
        with conn.cursor().copy("COPY grants (user_id, role, granted_at) FROM STDIN") as copy:
            for user_id in range(1, STAFF + 1):
                copy.write_row((user_id, "staff", now))
        with conn.cursor().copy(
                "COPY registrations (event_id, person_id, organisation_id, status, is_active, holds_seat,"
                " counts_against_quota, channel, submitted_by_id, created_at, updated_at) FROM STDIN") as copy:
            for person_id in range(1, ENTRIES + 1):
                copy.write_row((event_id, person_id, 1 + person_id % 200, "endorsed", True, True, False, "self",
                                person_id, now, now))
        conn.execute("UPDATE events SET seats_taken = %s WHERE id = %s", (ENTRIES, event_id))
    (scratch / "tokens.txt").write_text("\n".join(tokens) + "\n")
    return Prepared(server_env=env, lua_params={
        "tokens_dir": str(scratch), "path": f"/api/v1/registrations?event_id={event_id}&per_page={PAGE}"})


def verify(conn: psycopg.Connection, figures: Figures) -> dict[str, object]:
    if figures.non_2xx:
        raise InvariantBroken(f"{figures.non_2xx} non-2xx responses: {figures.status_counts}")
    return {"ok_2xx_measured": figures.ok_2xx, "entries_per_page": PAGE}


benchmark = Benchmark(
    name="registration_list",
    description=f"GET /api/v1/registrations?event_id=…&per_page={PAGE}: staff, {PAGE} entries a page",
    wsgi_target="wsgi:app",
    lua_script="api_floor.lua",
    prepare=prepare,
    verify=verify,
)
