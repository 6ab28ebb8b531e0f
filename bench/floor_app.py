"""The floors: the app's own statements, captured from it (bench/capture.py), sent through a
psycopg pool from bare Flask views. What a request of the app could cost if nothing but its
statements were paid for: the app's figures are read as a share of these.

- `GET /floor/me` (token_floor): the API's token lookup, the statement every API request
  sends first (the token, its user, their person and grants), and an answer of the user's id.
- `POST /floor/events/<id>/registrations` (registration_floor): a registration's statements,
  one after the other in one transaction, with the same locks: the token lookup, the event,
  the entrant's e-mail choice, the entry's id, the claim of a seat or else of a waiting-list
  position (tried in the order the app tries them), the entry, its audit line, its inbox
  message and its e-mail; then COMMIT. The mail's words are the captured ones.

Reads the database URL from BENCH_DATABASE_URL and the captured statements from BENCH_CAPTURED.
"""

import hashlib
import os
import pickle
from datetime import UTC, datetime

from flask import Flask, request
from psycopg.types.json import Json
from psycopg_pool import ConnectionPool

app = Flask(__name__)

_pool: ConnectionPool | None = None


def pool() -> ConnectionPool:
    """This worker's connection pool, opened on first use so that it is never shared across a fork."""
    global _pool
    if _pool is None:
        _pool = ConnectionPool(os.environ["BENCH_DATABASE_URL"], min_size=2, max_size=4, open=True)
    return _pool


def _load() -> dict[str, list[tuple[str, dict]]]:
    with open(os.environ["BENCH_CAPTURED"], "rb") as captured:
        return pickle.load(captured)


CAPTURED = _load()


def statement(run: str, starts: str) -> tuple[str, dict]:
    """The captured statement of `run` ("me", "seat", "waitlist") whose SQL starts with `starts`."""
    for sql, params in CAPTURED[run]:
        if " ".join(sql.split()).startswith(starts):
            return sql, params
    raise LookupError(f"the app sent no statement starting {starts!r} in {run!r}: capture again")


TOKEN = statement("me", "SELECT users.id")
EVENT = statement("seat", "SELECT events.id")
PREFERENCE = statement("seat", "SELECT notification_preferences")
NEXT_ID = statement("seat", "SELECT nextval")
CLAIM = {"seat": statement("seat", "UPDATE events SET seats_taken"),
         "waitlist": statement("waitlist", "UPDATE events SET waitlist_issued")}
WRITES = {run: [statement(run, f"INSERT INTO {table}")
                for table in ("registrations", "audit_entries", "notifications", "outbox_messages")]
          for run in ("seat", "waitlist")}


def _columns(cursor) -> dict[str, int]:
    """Each column name's first position in the result (users' columns come first)."""
    names: dict[str, int] = {}
    for index, column in enumerate(cursor.description):
        names.setdefault(column.name, index)
    return names


def _whose(conn, token: str):
    """(user id, person id, unit id, e-mail) of the token's user, or None."""
    sql, params = TOKEN
    digest = hashlib.sha256(token.encode()).hexdigest()
    cursor = conn.execute(sql, {**params, "digest": digest})
    rows = cursor.fetchall()
    if not rows:
        return None
    at = _columns(cursor)
    row = rows[0]
    # The login's e-mail, else the person's (labelled email_1 in the joined row).
    emails = [index for index, column in enumerate(cursor.description)
              if column.name == "email" or column.name.startswith("email_") and column.name[6:].isdigit()]
    email = next((row[index] for index in emails if row[index]), None)
    return row[at["id"]], row[at["person_id"]], row[at["organisation_id"]], email


def _token() -> str:
    scheme, _, text = (request.headers.get("Authorization") or "").partition(" ")
    return text.strip() if scheme.lower() == "bearer" else ""


@app.get("/floor/me")
def me():
    with pool().connection() as conn:
        found = _whose(conn, _token())
    if found is None:
        return {"error": "unauthorised"}, 401
    return {"id": found[0]}


@app.post("/floor/events/<int:event_id>/registrations")
def register(event_id: int):
    request.get_json()
    with pool().connection() as conn:  # one transaction: committed when the block ends
        found = _whose(conn, _token())
        if found is None:
            return {"error": "unauthorised"}, 401
        user_id, person_id, unit_id, email = found
        sql, params = EVENT
        cursor = conn.execute(sql, {**params, "pk_1": event_id})
        event = cursor.fetchone()
        at = _columns(cursor)
        likely_full = event[at["seats_taken"]] >= event[at["capacity"]]
        sql, params = PREFERENCE
        conn.execute(sql, {**params, "user_id_1": user_id}).fetchone()
        sql, params = NEXT_ID
        (entry_id,) = conn.execute(sql, params).fetchone()

        claimed = None
        while claimed is None:
            for run in (("waitlist", "seat") if likely_full else ("seat", "waitlist")):
                sql, params = CLAIM[run]
                row = conn.execute(sql, {**params, "key_id": event_id}).fetchone()
                if row is not None:
                    claimed = run, row
                    break
        run, row = claimed
        position = row[0] if run == "waitlist" else None
        now = datetime.now(UTC)
        key = f"registration:{entry_id}:created"
        entry, audit, inbox, outbox = WRITES[run]
        conn.execute(entry[0], {**entry[1], "id": entry_id, "event_id": event_id, "person_id": person_id,
                                "organisation_id": unit_id, "waitlist_position": position,
                                "submitted_by_id": user_id, "created_at": now, "updated_at": now})
        after = {**audit[1]["after"].obj, "waitlist_position": position}
        conn.execute(audit[0], {**audit[1], "at": now, "actor_id": user_id, "object_id": entry_id,
                                "after": Json(after)})
        conn.execute(inbox[0], {**inbox[1], "user_id": user_id, "dedup_key": key, "created_at": now})
        conn.execute(outbox[0], {**outbox[1], "recipient": email, "dedup_key": f"notify:{user_id}:{key}",
                                 "created_at": now, "next_attempt_at": now})
    return {"id": entry_id, "holds_seat": run == "seat", "waitlist_position": position}, 201
