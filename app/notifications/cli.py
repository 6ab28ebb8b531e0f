"""`flask outbox send`."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.core.cli import system_command
from app.notifications.services.outbox import dead_letter_count, deliver_pending

outbox_cli = AppGroup("outbox", help="The notifications outbox.")


@outbox_cli.command("send")
@click.option("--limit", default=100, show_default=True, help="At most this many messages.")
@system_command
def send_command(limit: int) -> None:
    """Deliver the messages that are due (each one is committed as soon as it is marked); a
    failed one waits for its next attempt. Also says how many are given up on (staff see them
    under System → Undelivered e-mail)."""
    sent, failed = deliver_pending(limit)
    click.echo(f"sent {sent}, failed {failed}, undelivered {dead_letter_count()}")


COMMANDS = [outbox_cli]
