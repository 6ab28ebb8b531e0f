"""`flask schedule …`: commands of the contest schedule (sessions, the station draw)."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from app.competitions.models import StationDraw
from app.competitions.services import station_draws
from app.core.cli import system_command
from app.extensions import db

schedule_cli = AppGroup("schedule", help="The contest schedule: sessions and the station draw.")


@schedule_cli.command("verify-draw")
@click.argument("draw_id", type=click.IntRange(min=1))
@system_command
def verify_draw_command(draw_id: int) -> None:
    """Recompute station draw DRAW_ID from its stored seed, rules and snapshot and compare it
    with the stored result: prints "identical" (exit 0) or each difference (exit 1)."""
    record = db.session.get(StationDraw, draw_id) if draw_id <= 2**31 - 1 else None
    if record is None:
        raise click.ClickException(f"no station draw {draw_id}")
    differences = station_draws.verify(record)
    if not differences:
        click.echo(f"station draw {record.id} (event {record.event_id}, {record.algorithm}): identical")
        return
    click.echo(f"station draw {record.id} (event {record.event_id}): {len(differences)} difference(s)")
    for difference in differences:
        click.echo(f"  {difference}")
    sys.exit(1)


COMMANDS = [schedule_cli]
