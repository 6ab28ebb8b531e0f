"""What each feature package adds to the shared parts of the site, declared in one place.

Every package has a `hooks.py` with `register(registry)`. `create_app` builds one Registry,
loads the hooks of every package in the order of `app/__init__.py`'s HOOKS list (DESIGN.md's
floors, bottom up) and checks the whole before the first request. A package declares there:

- its permissions, and which roles carry each (`permissions`); the admin carries all;
- its menu groups and entries (`menu_group`, `menu_entry`): base.html builds the menu from
  them (app/core/menu.py), shown to whoever holds the entry's permission or relation;
- sections of shared pages (`section`): e.g. what the judge's own page or the pool dashboard
  shows from other modules; the page renders every section declared for it, in order;
- relations (`relation`): "a judge seated on this panel", resolved by the package that owns
  the rows, so `requires(…, relation=…)` can name them without core importing the package;
- providers (`provide`): a lower package's question answered by a higher one (the judges ask
  competitions about events), looked up by name at call time;
- kinds of notification (`notification_kind`): what `app.notifications.notify` sends for a
  kind, in the reader's language, and whether it goes by e-mail unless the person says no.

Nothing here depends on import order: a package that is not in HOOKS adds nothing, and a
name declared twice is an error at start-up.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable

from flask import current_app

if TYPE_CHECKING:
    from app.core.permissions import Role, ScopeType

EXTENSION_KEY = "jiyi.registry"

# Where a menu entry's permission must be held: in any scope, or in every scope (a grant
# without scope); a ScopeType instead means "in a scope of this type" (e.g. a unit).
SOMEWHERE = "somewhere"
EVERYWHERE = "everywhere"


@dataclass(frozen=True)
class MenuGroup:
    """A heading of the menu (a dropdown when the menu is long), e.g. "Judges"."""

    key: str
    label: Any                      # a lazy_gettext string: rendered in the reader's language
    order: int


@dataclass(frozen=True)
class MenuEntry:
    """One link of the menu. Shown to anyone when `public`; otherwise to a signed-in user who
    holds `permission` (where `held` says) or stands in `relation` to anything; an entry with
    neither is shown to every signed-in user."""

    endpoint: str
    label: Any
    group: str
    order: int
    permission: str | None = None
    held: "str | ScopeType" = SOMEWHERE
    relation: str | None = None
    public: bool = False
    testid: str | None = None


@dataclass(frozen=True)
class Section:
    """A block one package adds to a page another module renders. `context(subject)` gives
    the template what it needs beyond the page's own context (the subject is the page's
    object, e.g. the judge's profile)."""

    page: str
    template: str
    order: int
    context: Callable[[Any], dict] | None = None


@dataclass(frozen=True)
class Relation:
    """`resolve(user, object_id)` is true when the signed-in `user` stands in the relation to
    the object with that id, or to any object when the id is None. One query, no side effect."""

    name: str
    resolve: Callable[[Any, int | None], bool]


@dataclass(frozen=True)
class NotificationKind:
    """A kind of message `app.notifications.notify` sends, e.g. "session.reminder".

    `label` names it on a person's preferences page; `title` and `body` are lazy_gettext
    strings with `%(name)s` placeholders, filled from the caller's context in the reader's
    language (datetimes shown in the event's time zone). E-mail goes out unless the person
    turned it off, or, when `email_by_default` is false, unless they turned it on.
    """

    name: str
    label: Any
    title: Any
    body: Any
    email_by_default: bool = True


class Registry:
    """What the loaded packages declared. Filled at start-up, read-only afterwards."""

    def __init__(self) -> None:
        self.groups: dict[str, MenuGroup] = {}
        self.entries: list[MenuEntry] = []
        self._sections: dict[str, list[Section]] = {}
        self.relations: dict[str, Relation] = {}
        self._providers: dict[str, Callable] = {}
        self.notification_kinds: dict[str, NotificationKind] = {}
        self.declared_permissions: dict[str, str] = {}       # permission -> the package declaring it
        self._carried: dict[Any, set[str]] = {}               # role -> permissions
        self._package = "?"

    # --- loading ----------------------------------------------------------------------------

    def load(self, hooks: ModuleType) -> None:
        """Let one package's hooks module declare what it adds."""
        self._package = hooks.__name__.rpartition(".")[0]
        hooks.register(self)
        self._package = "?"

    def check(self) -> None:
        """Refuse a registry whose entries name a group, relation or permission nobody declared."""
        for entry in self.entries:
            if entry.group not in self.groups:
                raise ValueError(f"menu entry {entry.endpoint} names the undeclared group {entry.group!r}")
            if entry.relation is not None and entry.relation not in self.relations:
                raise ValueError(f"menu entry {entry.endpoint} names the undeclared relation {entry.relation!r}")
            if entry.permission is not None and entry.permission not in self.declared_permissions:
                raise ValueError(f"menu entry {entry.endpoint} names the undeclared permission {entry.permission!r}")

    def _once(self, kind: str, name: str, taken) -> None:
        if name in taken:
            raise ValueError(f"{self._package} declares the {kind} {name!r}, which is declared already")

    # --- what packages declare --------------------------------------------------------------

    def permissions(self, carried_by: "dict[str, tuple[Role, ...]]") -> None:
        """Declare the package's permissions, each with the roles that carry it."""
        for permission, roles in carried_by.items():
            self._once("permission", permission, self.declared_permissions)
            self.declared_permissions[permission] = self._package
            for role in roles:
                self._carried.setdefault(role, set()).add(permission)

    def menu_group(self, key: str, label, order: int) -> None:
        self._once("menu group", key, self.groups)
        self.groups[key] = MenuGroup(key, label, order)

    def menu_entry(self, endpoint: str, label, *, group: str, order: int, **shown_to) -> None:
        """A link to `endpoint` under `group`; `shown_to` as MenuEntry's fields say."""
        self._once("menu entry", endpoint, {entry.endpoint for entry in self.entries})
        self.entries.append(MenuEntry(endpoint, label, group, order, **shown_to))

    def section(self, page: str, template: str, *, order: int, context: Callable[[Any], dict] | None = None) -> None:
        self._sections.setdefault(page, []).append(Section(page, template, order, context))

    def relation(self, name: str, resolve: Callable[[Any, int | None], bool]) -> None:
        self._once("relation", name, self.relations)
        self.relations[name] = Relation(name, resolve)

    def provide(self, name: str, provider: Callable) -> None:
        self._once("provider", name, self._providers)
        self._providers[name] = provider

    def notification_kind(self, name: str, *, label, title, body, email_by_default: bool = True) -> None:
        """Declare a kind of notification (see NotificationKind)."""
        self._once("notification kind", name, self.notification_kinds)
        self.notification_kinds[name] = NotificationKind(name, label, title, body, email_by_default)

    # --- what the site reads ----------------------------------------------------------------

    def carried_by(self, role: "Role") -> frozenset[str]:
        """The permissions the packages gave `role`."""
        return frozenset(self._carried.get(role, ()))

    def sections(self, page: str) -> list[Section]:
        """The sections declared for `page`, in order."""
        return sorted(self._sections.get(page, ()), key=lambda s: (s.order, s.template))

    def provider(self, name: str) -> Callable:
        """The function a package provides under `name`; a LookupError names the missing one."""
        if name not in self._providers:
            raise LookupError(f"no package provides {name!r}: is its hooks module in app/__init__.py's HOOKS?")
        return self._providers[name]


def init_app(app, hooks_modules: list[ModuleType]) -> Registry:
    """Build the application's registry from the packages' hooks, in the order given."""
    registry = Registry()
    for hooks in hooks_modules:
        registry.load(hooks)
    registry.check()
    app.extensions[EXTENSION_KEY] = registry
    return registry


def current() -> Registry:
    """The registry of the application handling this request (or command)."""
    return current_app.extensions[EXTENSION_KEY]
