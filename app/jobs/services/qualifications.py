"""Expiring-qualification notices: a judge's certificate (裁判员证书) expires in 90 days, then in 30.

The judge is told, and so are the association's staff (staff everywhere: they keep the
pool). A notice of kind K (90 or 30 days) is due while the certificate has at most K days
left and more than the next kind's (the 90-day one until 30 days are left, the 30-day one
until the day it expires), never after it expired. Keys name the certificate, its expiry
date and the kind: `qualification:<id>:<expires on>:<kind>:<person>`, so a renewed
certificate (a new date) is noticed again, and a rerun never. The judge is told through
app.accounts.services.notification_recipients.tell (inbox, or e-mail when they have no
account), staff through app.notifications.notify.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.services.notification_recipients import tell
from app.extensions import db
from app.jobs.services import recipients
from app.judges.models import JudgeProfile, Qualification
from app.notifications import notify

KINDS = (90, 30)   # days before expiry, furthest first


def kind_due(expires_on: date, today: date) -> int | None:
    """The notice due `today` for a certificate expiring on `expires_on`, or None (pure)."""
    left = (expires_on - today).days
    if left < 0:
        return None
    for index, kind in enumerate(KINDS):
        floor = KINDS[index + 1] if index + 1 < len(KINDS) else -1
        if floor < left <= kind:
            return kind
    return None


def send_due(today: date) -> int:
    """Tell the notices due `today` that were not told before; returns how many."""
    expiring = db.session.scalars(
        select(Qualification).where(Qualification.expires_on.between(today, today + timedelta(days=KINDS[0])))
        .options(joinedload(Qualification.profile).joinedload(JudgeProfile.person))
        .order_by(Qualification.expires_on, Qualification.id))
    staff = None
    added = 0
    for qualification in expiring:
        kind = kind_due(qualification.expires_on, today)
        if kind is None:
            continue
        staff = staff if staff is not None else recipients.staff_of(None)
        added += _notice(qualification, kind, today, staff)
    return added


def _notice(qualification: Qualification, kind: int, today: date, staff) -> int:
    person = qualification.profile.person
    left = (qualification.expires_on - today).days
    key = f"qualification:{qualification.id}:{qualification.expires_on.isoformat()}:{kind}"
    told = int(tell(person, "qualification.expiring", key=f"{key}:p{person.id}", link="/judges/me",
                    context={"qualification": qualification.number, "expires_on": qualification.expires_on,
                             "days": left}))
    about = {"name": person.full_name, "number": qualification.number, "issuer": qualification.issuer,
             "date": qualification.expires_on.isoformat(), "days": left}
    for user in staff:
        told += int(notify(user.id, "qualification.expiring_judge", key=f"{key}:{recipients.key_of(user)}",
                           context=about, link=f"/judges/{qualification.profile_id}"))
    return told
