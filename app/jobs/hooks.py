"""What jobs adds to the shared pages: the jobs page under System, and the kinds of
notification its jobs send (app/core/registry.py). Each kind says which context its
placeholders need; notify() refuses a context that lacks one."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.permissions import Role
from app.core.registry import EVERYWHERE, Registry


def register(registry: Registry) -> None:
    # The jobs are the association's: staff everywhere see them and may ask for a run.
    registry.permissions({"jobs.manage": (Role.STAFF,)})
    registry.menu_entry("jobs.jobs", _l("Scheduled jobs"), group="system", order=30,
                        permission="jobs.manage", held=EVERYWHERE)
    _declare_kinds(registry)


def _declare_kinds(registry: Registry) -> None:
    # To contestants and judges (services/reminders.py).
    # context: event, session (names), starts_at (aware datetime), place (the room)
    registry.notification_kind(
        "session.reminder", label=_l("Reminders before my sessions"),
        title=_l("Reminder: %(event)s, %(session)s at %(starts_at)s"),
        body=_l("%(event)s — %(session)s starts at %(starts_at)s. Place: %(place)s. Please arrive in good time "
                "and bring your ID document."))
    # To the competition's staff (services/windows.py). context: event (name), opens_at, closes_at (aware datetimes)
    registry.notification_kind(
        "registration.window", label=_l("Registration opening"),
        title=_l("Registration is open: %(event)s"),
        body=_l("Registration for %(event)s is open from %(opens_at)s until %(closes_at)s."))
    # To the competition's staff. context: event, competition (names), time (aware datetime),
    # taken, capacity, waiting (numbers)
    registry.notification_kind(
        "registration.closed", label=_l("Registration closed (staff)"),
        title=_l("Registration has closed: %(competition)s, %(event)s"),
        body=_l("Registration for %(event)s (%(competition)s) closed at %(time)s. Seats taken: %(taken)d of "
                "%(capacity)d; waiting: %(waiting)d."))
    # To the judge (services/qualifications.py). context: qualification (its number), expires_on (date), days
    registry.notification_kind(
        "qualification.expiring", label=_l("My qualifications expiring"),
        title=_l("Your qualification expires on %(expires_on)s"),
        body=_l("Your qualification %(qualification)s expires on %(expires_on)s, in %(days)s days. "
                "Please renew it in time."))
    # To staff, one judge's certificate. context: name, number, issuer, date (text), days (a number)
    registry.notification_kind(
        "qualification.expiring_judge", label=_l("Judges' certificates expiring (staff)"),
        title=_l("Judge certificate of %(name)s expires in %(days)d days"),
        body=_l("The judge certificate %(number)s of %(name)s (issued by %(issuer)s) expires on %(date)s, in "
                "%(days)d days."))
    # To staff (services/integrity.py). context: count (counters that disagree), details (which, in words)
    registry.notification_kind(
        "counters.mismatch", label=_l("Registration counters disagree (staff)"),
        title=_l("%(count)s registration counters disagree with the entries"),
        body=_l("The nightly check found %(count)s registration counters that disagree with the entries. "
                "Nothing was changed; please look into it. %(details)s"))
