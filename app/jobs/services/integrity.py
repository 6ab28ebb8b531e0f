"""The nightly integrity check: every event's counters against the entries they count.

The counters (app.competitions.services.capacity) are changed only by conditional UPDATEs,
never recomputed; this check recounts them from the rows and reports any difference to the
association's staff. It never corrects one: a counter that disagrees with its rows is a bug
or a hand-made change, and a person must find out which before anything is changed.

    seats_taken       (events)        entries holding a seat
    waitlist_issued   (events)        entries ever given a waiting-list position
    waitlist_left     (events)        of those, the ones no longer waiting (seated, or ended)
    quota_used        (event_quotas)  the unit's active entries that count against its quota

The alert is told to each of them (app.notifications.notify: the inbox, and e-mail per their
choice), keyed by the day and the differences found, so a rerun the same night with the
same findings sends nothing more, and a new finding is told at once.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select, text

from app.competitions.models import LEFT_WAITLIST, Competition, Event, EventQuota, Registration
from app.extensions import db
from app.jobs.services import recipients
from app.notifications import notify
from app.orgs.models import Organisation


@dataclass(frozen=True)
class Mismatch:
    event_id: int
    event: str            # "competition — event"
    counter: str          # a key of COUNTERS
    stored: int
    counted: int
    unit: str | None = None   # the unit, for a quota

    @property
    def label(self) -> str:
        """What the counter counts, in the reader's language."""
        return str(COUNTERS[self.counter]) % {"unit": self.unit}

    def __str__(self) -> str:  # what the alert's key is made of: language-free
        return f"{self.event_id}:{self.counter}:{self.unit}:{self.stored}:{self.counted}"


COUNTERS = {
    "seats_taken": _l("seats taken"),
    "waitlist_issued": _l("waiting-list places issued"),
    "waitlist_left": _l("entries that left the waiting list"),
    "quota_used": _l("quota used by %(unit)s"),
}


def _count(condition):
    return select(func.count(Registration.id)).where(Registration.event_id == Event.id, condition) \
        .correlate(Event).scalar_subquery()


def find_mismatches() -> list[Mismatch]:
    """Every counter that disagrees with its rows, in event order (read only)."""
    rows = db.session.execute(
        select(Event.id, Competition.name, Event.name, Event.seats_taken, Event.waitlist_issued, Event.waitlist_left,
               _count(Registration.holds_seat), _count(Registration.waitlist_position.is_not(None)),
               _count(text(LEFT_WAITLIST)))
        .join(Competition, Competition.id == Event.competition_id).order_by(Event.id))
    found = []
    for event_id, competition, event, taken, issued, left, seated, positioned, gone in rows:
        label = f"{competition} — {event}"
        for counter, stored, counted in (("seats_taken", taken, seated), ("waitlist_issued", issued, positioned),
                                         ("waitlist_left", left, gone)):
            if stored != counted:
                found.append(Mismatch(event_id, label, counter, stored, counted))
    quota_rows = db.session.execute(
        select(EventQuota.event_id, Competition.name, Event.name, Organisation.name, EventQuota.used,
               select(func.count(Registration.id)).where(
                   and_(Registration.event_id == EventQuota.event_id,
                        Registration.organisation_id == EventQuota.organisation_id,
                        Registration.is_active, Registration.counts_against_quota))
               .correlate(EventQuota).scalar_subquery())
        .join(Event, Event.id == EventQuota.event_id).join(Competition, Competition.id == Event.competition_id)
        .join(Organisation, Organisation.id == EventQuota.organisation_id)
        .order_by(EventQuota.event_id, EventQuota.organisation_id))
    for event_id, competition, event, unit, used, counted in quota_rows:
        if used != counted:
            found.append(Mismatch(event_id, f"{competition} — {event}", "quota_used", used, counted, unit))
    return found


class _Lines:
    """The differences, one line each, in the reader's language (rendered when notify() reads it)."""

    def __init__(self, mismatches: list[Mismatch]):
        self.mismatches = mismatches

    def __str__(self) -> str:
        return "".join("\n- " + str(_l("%(event)s: %(counter)s is %(stored)d, the entries say %(counted)d",
                                           event=m.event, counter=m.label, stored=m.stored, counted=m.counted))
                       for m in self.mismatches)


def alert(mismatches: list[Mismatch], today: date) -> int:
    """Tell the association's staff about `mismatches`; returns how many messages were new."""
    digest = hashlib.sha256("\n".join(map(str, mismatches)).encode()).hexdigest()[:16]
    context = {"count": len(mismatches), "details": _Lines(mismatches)}
    added = 0
    for user in recipients.staff_of(None):
        added += int(notify(user.id, "counters.mismatch", key=f"integrity:{today.isoformat()}:{digest}:"
                            f"{recipients.key_of(user)}", context=context, link="/jobs"))
    return added
