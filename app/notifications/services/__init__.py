"""The rules of notifications.

Contents:
    outbox.py        e-mail waiting to go: enqueue, delivery with retries, dead letters
    inbox.py         notify(): the in-app message and its e-mail; reading and marking read
    kinds.py         the kinds packages declare, rendered in the reader's language and time zone
    preferences.py   each person's e-mail choice per kind
"""
# Callers have always imported the outbox from here; it stays so.
from app.notifications.services.outbox import MAX_ATTEMPTS, deliver_pending, enqueue  # noqa: F401
