"""What jobs adds to the shared pages: the jobs page under System (app/core/registry.py)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.permissions import Role
from app.core.registry import EVERYWHERE, Registry


def register(registry: Registry) -> None:
    # The jobs are the association's: staff everywhere see them and may ask for a run.
    registry.permissions({"jobs.manage": (Role.STAFF,)})
    registry.menu_entry("jobs.jobs", _l("Scheduled jobs"), group="system", order=30,
                        permission="jobs.manage", held=EVERYWHERE)
