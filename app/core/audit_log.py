"""The audit log as people read it: who (name and role), what (in words), which object (by
its name, with a link), and each change as field: before → after.

Core knows no feature: each package describes its own object types, action words and field
names here at start-up (`register_object_type`, `register_actions`, `register_fields`,
`register_actor_names`), as the judges' facts registry does. A code nobody described still
reads: "events 12", "Registration: checked in".

Committee-scoped staff see only the lines about objects in their committees: an object type
says which of its rows sit in given committees (`in_committees`); types that cannot say
(people, units, grants, the judge pool) are the association's and stay hidden from them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, false, or_, select

from app.core.audit import AuditEntry
from app.core.permissions import ScopeType, scopes_with
from app.core.time import to_local


@dataclass(frozen=True)
class ObjectType:
    """How a package's table reads in the log.

    `names(ids)` answers {id: name} in one query; `url(id)` the page that shows the row (None
    when there is none); `in_committees(committee_ids)` a SELECT of the ids of rows that sit in
    those committees (None: the rows belong to the whole association).
    """

    label: Any
    names: Callable[[list[int]], dict[int, str]]
    url: Callable[[int], str | None] | None = None
    in_committees: Callable[[set[int]], Select] | None = None


OBJECT_TYPES: dict[str, ObjectType] = {}
ACTIONS: dict[str, Any] = {}
FIELDS: dict[str, Any] = {}
# (object type, field) -> words for a stored value, e.g. a state's code
VALUES: dict[tuple[str, str], Callable[[Any], str]] = {}
# {user id: (name, roles in words)}: set by accounts, which owns users and their grants.
_actor_names: list[Callable[[list[int]], dict[int, tuple[str, str]]]] = []


def register_object_type(table: str, kind: ObjectType) -> None:
    """Describe the rows of `table` (the audit line's object_type) for the log."""
    OBJECT_TYPES[table] = kind


def register_actions(labels: dict[str, Any]) -> None:
    """Words for action codes, e.g. {"registration.bulk_registered": _l("Bulk registered")}."""
    ACTIONS.update(labels)


def register_fields(labels: dict[str, Any]) -> None:
    """Words for the field names that before/after snapshots carry."""
    FIELDS.update(labels)


def register_values(table: str, field: str, words: Callable[[Any], str]) -> None:
    """Words for the stored values of `field` in `table`'s snapshots (codes, enum values)."""
    VALUES[(table, field)] = words


def register_actor_names(names: Callable[[list[int]], dict[int, tuple[str, str]]]) -> None:
    """The one function that names users (and their roles) for the "who" column."""
    _actor_names[:] = [names]


def action_label(code: str) -> str:
    """The action in words; an undescribed code reads as its object type and verb."""
    if code in ACTIONS:
        return str(ACTIONS[code])
    kind, _dot, verb = code.partition(".")
    return f"{kind.replace('_', ' ').capitalize()}: {verb.replace('_', ' ')}" if verb else code


def object_type_label(table: str) -> str:
    kind = OBJECT_TYPES.get(table)
    return str(kind.label) if kind else table


def field_label(name: str) -> str:
    return str(FIELDS[name]) if name in FIELDS else name.replace("_", " ")


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Line:
    """One audit entry as shown and exported."""

    entry: AuditEntry
    who: str
    role: str
    what: str
    object_type: str
    object_name: str
    object_url: str | None
    changes: list[Change]


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _value(table: str, name: str, value: Any) -> str:
    words = VALUES.get((table, name))
    if words is not None and value is not None:
        try:
            return words(value)
        except (KeyError, ValueError):  # a value stored before its words existed
            pass
    return _text(value)


def changes(table: str, before: dict | None, after: dict | None) -> list[Change]:
    """Each field that a snapshot names, before → after. Fields the same in both are left out,
    and so are empty fields of a new object (it had nothing before)."""
    before, after = before or {}, after or {}
    found = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if (name in before and name in after and old == new) or (name not in before and new in (None, "")):
            continue
        found.append(Change(field_label(name), _value(table, name, old) if name in before else "",
                            _value(table, name, new) if name in after else ""))
    return found


def lines(entries: Iterable[AuditEntry]) -> list[Line]:
    """The entries with their actors and objects named, in a few queries for the whole page."""
    entries = list(entries)
    actor_ids = sorted({e.actor_id for e in entries if e.actor_id is not None})
    actors = _actor_names[0](actor_ids) if _actor_names and actor_ids else {}
    wanted: dict[str, set[int]] = {}
    for e in entries:
        if e.object_type in OBJECT_TYPES and e.object_id is not None:
            wanted.setdefault(e.object_type, set()).add(e.object_id)
    names = {table: OBJECT_TYPES[table].names(sorted(ids)) for table, ids in wanted.items()}
    shown = []
    for e in entries:
        if e.actor_id is None:
            who, role = _("System"), ""
        else:
            who, role = actors.get(e.actor_id, (_("User %(id)d", id=e.actor_id), ""))
        kind = OBJECT_TYPES.get(e.object_type or "")
        name = names.get(e.object_type or "", {}).get(e.object_id)
        if e.object_type is None:
            object_name = ""
        elif name is None:
            object_name = f"{object_type_label(e.object_type)} {e.object_id or ''}".strip()
        else:
            object_name = name
        url = kind.url(e.object_id) if kind and kind.url and name is not None else None
        shown.append(Line(e, who, role, action_label(e.action), object_type_label(e.object_type) if e.object_type
                          else "", object_name, url, changes(e.object_type or "", e.before, e.after)))
    return shown


@dataclass(frozen=True)
class Filters:
    actor_id: int | None = None
    system: bool = False
    object_type: str | None = None
    object_id: int | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None


def visible_entries(user, flt: Filters, tz_name: str) -> Select:
    """The entries `user` may read, newest first, narrowed by `flt` (dates in `tz_name`)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    committees = scopes_with(user, "audit.view", ScopeType.COMMITTEE)
    if committees is not None:
        query = query.where(_in_committees(committees))
    if flt.system:
        query = query.where(AuditEntry.actor_id.is_(None))
    elif flt.actor_id is not None:
        query = query.where(AuditEntry.actor_id == flt.actor_id)
    if flt.object_type:
        query = query.where(AuditEntry.object_type == flt.object_type)
    if flt.object_id is not None:
        query = query.where(AuditEntry.object_id == flt.object_id)
    if flt.action:
        query = query.where(AuditEntry.action.startswith(flt.action, autoescape=True))
    if flt.since:
        query = query.where(AuditEntry.at >= _start_of(flt.since, tz_name))
    if flt.until:
        query = query.where(AuditEntry.at < _start_of(flt.until + timedelta(days=1), tz_name))
    return query


def _start_of(day: date, tz_name: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(tz_name))


def _in_committees(committee_ids: set[int]):
    if not committee_ids:
        return false()
    return or_(false(), *[
        and_(AuditEntry.object_type == table, AuditEntry.object_id.in_(kind.in_committees(committee_ids)))
        for table, kind in OBJECT_TYPES.items() if kind.in_committees is not None])


def action_choices() -> list[tuple[str, str]]:
    """(code, words) of every described action, in the order of the words."""
    return sorted(((code, str(label)) for code, label in ACTIONS.items()), key=lambda pair: pair[1])


def object_type_choices() -> list[tuple[str, str]]:
    return sorted(((table, str(kind.label)) for table, kind in OBJECT_TYPES.items()), key=lambda pair: pair[1])


EXPORT_HEADERS = [_l("When"), _l("Who"), _l("Role"), _l("What"), _l("Object type"), _l("Object"),
                  _l("Changes"), _l("Reason")]


def export_rows(shown: list[Line], tz_name: str) -> list[list]:
    """Rows for the Excel export (core.excel.write_workbook makes every cell formula-safe)."""
    return [[to_local(line.entry.at, tz_name).strftime("%Y-%m-%d %H:%M:%S"), line.who, line.role, line.what,
             line.object_type, line.object_name,
             "\n".join(f"{c.field}: {c.before} → {c.after}" for c in line.changes), line.entry.reason or ""]
            for line in shown]
