"""The site's menu, built for the reader from what the packages declared (app/core/registry.py).

An entry is shown only to who can use it (its permission held where it says, or its relation
stood in); a group with nothing to show is left out. A short menu (at most FLAT_UP_TO links,
e.g. a contestant's or a liaison's) is one row of links; a longer one (staff, the admin) is a
row of dropdowns, one per group, so that no label wraps on a 1366 px screen; a group with a
single entry stays a plain link.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app.core import permissions, registry
from app.core.registry import EVERYWHERE, SOMEWHERE, MenuEntry, MenuGroup

FLAT_UP_TO = 5


@dataclass(frozen=True)
class Menu:
    """The groups the reader sees, each with its entries, in order; `flat`: show the links
    side by side instead of as dropdowns."""

    groups: tuple[tuple[MenuGroup, tuple[MenuEntry, ...]], ...]
    flat: bool


def is_shown(entry: MenuEntry, user) -> bool:
    """Whether `user` (signed in or not) sees `entry`."""
    if entry.public:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if entry.permission is None and entry.relation is None:
        return True
    if entry.permission is not None:
        if entry.held == SOMEWHERE and permissions.has_permission_somewhere(user, entry.permission):
            return True
        if entry.held == EVERYWHERE and permissions.has_permission(user, entry.permission):
            return True
        if entry.held not in (SOMEWHERE, EVERYWHERE) and permissions.has_permission_in(
                user, entry.permission, entry.held):
            return True
    if entry.relation is None:
        return False
    try:
        return permissions.stands_in(user, entry.relation)
    except SQLAlchemyError:  # the error page for a broken database must still render
        return False


def menu_for(user) -> Menu:
    """The menu `user` sees."""
    declared = registry.current()
    shown: dict[str, list[MenuEntry]] = {}
    for entry in sorted(declared.entries, key=lambda e: (e.order, e.endpoint)):
        if is_shown(entry, user):
            shown.setdefault(entry.group, []).append(entry)
    groups = tuple((declared.groups[key], tuple(entries))
                   for key, entries in sorted(shown.items(), key=lambda item: declared.groups[item[0]].order))
    return Menu(groups, flat=sum(len(entries) for _, entries in groups) <= FLAT_UP_TO)


def shows(endpoint: str, user) -> bool:
    """Whether the menu shows `user` the entry for `endpoint` (pages that repeat the menu's
    links, like the home page, ask this instead of restating its conditions)."""
    return any(entry.endpoint == endpoint and is_shown(entry, user) for entry in registry.current().entries)


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"main_menu": lambda: menu_for(current_user),
                                   "menu_shows": lambda endpoint: shows(endpoint, current_user)})
