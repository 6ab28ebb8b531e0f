"""Expiring-qualification notices: a judge's certificate (裁判员证书) expires in 90 days, then in 30.

The judge is told, and so are the association's staff (staff everywhere: they keep the
pool). A notice of kind K (90 or 30 days) is due while the certificate has at most K days
left and more than the next kind's (the 90-day one until 30 days are left, the 30-day one
until the day it expires), never after it expired. Keys name the certificate, its expiry
date and the kind: `qualification:<id>:<expires on>:<kind>:<person>`, so a renewed
certificate (a new date) is noticed again, and a rerun never.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.jobs.services import recipients
from app.jobs.services.recipients import Recipient
from app.judges.models import JudgeProfile, Qualification
from app.notifications import enqueue

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
    """Enqueue the notices due `today` that were not enqueued before; returns how many."""
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
        judge = recipients.of_person(qualification.profile.person)
        for recipient, to_judge in ([(judge, True)] if judge else []) + [(member, False) for member in staff]:
            added += _notice(recipient, qualification, kind, today, to_judge)
    return added


def _notice(recipient: Recipient, qualification: Qualification, kind: int, today: date, to_judge: bool) -> int:
    person = qualification.profile.person
    left = (qualification.expires_on - today).days
    with recipients.speaking_to(recipient):
        if to_judge:
            subject = _("Your judge certificate %(number)s expires in %(days)d days", number=qualification.number,
                        days=left)
        else:
            subject = _("Judge certificate of %(name)s expires in %(days)d days", name=person.full_name, days=left)
        body = render_template("jobs/mail/qualification.txt", person=person, qualification=qualification,
                               days=left, to_judge=to_judge,
                               url=f"{current_app.config['BASE_URL']}/judges/{qualification.profile_id}")
    key = f"qualification:{qualification.id}:{qualification.expires_on.isoformat()}:{kind}:{recipient.key}"
    return int(enqueue(recipient.address, subject, body, dedup_key=key))
