"""`flask outbox send`."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.core.cli import system_command
from app.notifications.services import deliver_pending

outbox_cli = AppGroup("outbox", help="The notifications outbox.")


@outbox_cli.command("send")
@click.option("--limit", default=100, show_default=True, help="At most this many messages.")
@system_command
def send_command(limit: int) -> None:
    """Deliver pending messages (each one is committed as soon as it is marked)."""
    sent, failed = deliver_pending(limit)
    click.echo(f"sent {sent}, failed {failed}")


COMMANDS = [outbox_cli]
