"""What notifications adds to the shared parts: the dead-letter page, and the kinds of
notification the scheduler's jobs send (app/core/registry.py).

The kinds below are declared here because several packages' jobs share them; a package that
owns one may move its declaration into its own hooks.py (the name must stay the same). Each
says which context its placeholders need; notify() refuses a context that lacks one.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.permissions import Role
from app.core.registry import EVERYWHERE, Registry
from app.notifications import audit_types


def register(registry: Registry) -> None:
    audit_types.register()
    registry.permissions({"notifications.outbox": (Role.STAFF,)})
    registry.menu_entry("notifications.dead_letters", _l("Undelivered e-mail"), group="system", order=60,
                        permission="notifications.outbox", held=EVERYWHERE)
    _declare_kinds(registry)


def _declare_kinds(registry: Registry) -> None:
    # context: event, session (names), starts_at (aware datetime), place (room, and station if any)
    registry.notification_kind(
        "session.reminder", label=_l("Reminders before my sessions"),
        title=_l("Reminder: %(event)s, %(session)s at %(starts_at)s"),
        body=_l("%(event)s — %(session)s starts at %(starts_at)s. Place: %(place)s. Please arrive in good time "
                "and bring your ID document."))
    # context: event (name), opens_at, closes_at (aware datetimes)
    registry.notification_kind(
        "registration.window", label=_l("Registration opening"),
        title=_l("Registration is open: %(event)s"),
        body=_l("Registration for %(event)s is open from %(opens_at)s until %(closes_at)s."))
    # context: event (name), closes_at (aware datetime)
    registry.notification_kind(
        "registration.closing", label=_l("Registration closing soon"),
        title=_l("Registration closes soon: %(event)s"),
        body=_l("Registration for %(event)s closes at %(closes_at)s."))
    # To the judge. context: qualification (its name), expires_on (date), days (whole days left)
    registry.notification_kind(
        "qualification.expiring", label=_l("My qualifications expiring"),
        title=_l("Your qualification expires on %(expires_on)s"),
        body=_l("Your qualification %(qualification)s expires on %(expires_on)s, in %(days)s days. "
                "Please renew it in time."))
    # To staff. context: count (qualifications), expires_on (date: the last day the list covers), names
    registry.notification_kind(
        "qualification.expiring_list", label=_l("Judges' qualifications expiring (staff)"),
        title=_l("%(count)s judge qualifications expire by %(expires_on)s"),
        body=_l("%(count)s judge qualifications expire by %(expires_on)s: %(names)s"))
    # To staff. context: count (counters that disagree), details (which, in words)
    registry.notification_kind(
        "counters.mismatch", label=_l("Registration counters disagree (staff)"),
        title=_l("%(count)s registration counters disagree with the entries"),
        body=_l("The nightly check found %(count)s registration counters that disagree with the entries. "
                "Nothing was changed; please look into it. %(details)s"))
