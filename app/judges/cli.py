"""`flask judges …`: commands of the judge pool."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from app.core.cli import system_command
from app.extensions import db
from app.judges.models import Draw
from app.judges.services import draws

judges_cli = AppGroup("judges", help="The judge and expert pool.")


@judges_cli.command("verify-draw")
@click.argument("draw_id", type=click.IntRange(min=1))
@system_command
def verify_draw_command(draw_id: int) -> None:
    """Recompute draw DRAW_ID from its stored seed, constraints and candidates and compare it
    with the stored result: prints "identical" (exit 0) or each difference (exit 1)."""
    record = db.session.get(Draw, draw_id) if draw_id <= 2**31 - 1 else None
    if record is None:
        raise click.ClickException(f"no draw {draw_id}")
    differences = draws.verify(record)
    if not differences:
        click.echo(f"draw {record.id} (panel {record.panel_id}, {record.algorithm}): identical")
        return
    click.echo(f"draw {record.id} (panel {record.panel_id}): {len(differences)} difference(s)")
    for difference in differences:
        click.echo(f"  {difference}")
    sys.exit(1)


COMMANDS = [judges_cli]
