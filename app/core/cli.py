"""How every `flask` command runs: as the system, in one unit of work.

Each feature package lists its commands in its `cli.py` as `COMMANDS` (a command or a group
of them); `create_app` adds them from one list. The body of every command is decorated with
`@system_command`, under click's decorators: it runs inside `unit_of_work()` — committed
when it returns, rolled back when it raises — and a DomainError ends it with its message
and exit status 1. Commands pass `SYSTEM` (app.core.audit) to the services they call, so
the audit log shows their changes as the system's. A test walks every registered command
and fails for one without it.
"""
from __future__ import annotations

import functools
from typing import Callable

import click

from app.core.errors import DomainError
from app.core.transaction import unit_of_work


def system_command(callback: Callable) -> Callable:
    """Run a command's body as one unit of work; a DomainError becomes the command's error message."""
    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            with unit_of_work():
                return callback(*args, **kwargs)
        except DomainError as error:
            raise click.ClickException(error.message) from None

    run.runs_as_system = True
    return run
