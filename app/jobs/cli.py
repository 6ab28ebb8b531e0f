"""`flask scheduler run`: the one process that runs the timed jobs (app.jobs.process)."""
from __future__ import annotations

from flask import current_app
from flask.cli import AppGroup

from app.core.cli import system_command
from app.jobs import process

scheduler_cli = AppGroup("scheduler", help="The scheduler process that runs the timed jobs.")


@scheduler_cli.command("run")
@system_command
def run_command() -> None:
    """Run the scheduler until stopped (Ctrl-C, SIGTERM); waits while another one leads."""
    process.run_forever(current_app._get_current_object())


COMMANDS = [scheduler_cli]
