"""`flask results verify [EVENT]`: recompute every published result snapshot (of one event,
given by its id, or all) from the raw marks and its scheme version; exit 1 on any difference."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.competitions.models import Event
from app.core.cli import system_command
from app.extensions import db
from app.scoring.services import verify

results_cli = AppGroup("results", help="Published results.")


@results_cli.command("verify")
@click.argument("event_id", required=False, type=int, metavar="[EVENT]")
@system_command
def verify_command(event_id: int | None) -> None:
    """Recompute every published snapshot from the raw marks; exit 1 on any difference."""
    event = None
    if event_id is not None:
        event = db.session.get(Event, event_id)
        if event is None:
            raise click.ClickException(f"There is no event {event_id}.")
    found = verify.verify(event)
    for line in found.differences:
        click.echo(line, err=True)
    click.echo(f"{found.checked} snapshots checked, {len(found.differences)} differences.")
    if not found.ok:
        raise click.exceptions.Exit(1)


COMMANDS = [results_cli]
