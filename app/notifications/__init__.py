"""Notifications: the outbox every feature writes to, and its delivery.

Features call `enqueue(...)` inside their own transaction, so a message exists exactly when
the change that caused it does. `flask outbox send` (and, later, the scheduler) delivers
what is pending; a message is sent once even when two senders run at the same time.

Contents:
    models.py        the outbox table
    services.py      putting messages in the outbox and delivering them
    mail.py          mail backends: console, smtp, memory
    cli.py           `flask outbox send`
"""
from app.notifications.services import enqueue  # noqa: F401  the one entry point for features
