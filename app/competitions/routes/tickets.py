"""Admission tickets (准考证) as PDF: a contestant's own, and a whole event's for staff to print.

A refusal (someone else's entry, an entry not yet approved) is a DomainError, which the
application's error handler answers with its status and message.
"""
from __future__ import annotations

import io

from flask import send_file
from flask_login import current_user

from app.competitions import bp
from app.competitions.models import Event, Registration
from app.competitions.services import tickets
from app.competitions.services.access import scope_of_event_id
from app.core.permissions import requires, signed_in
from app.extensions import db


def _pdf_download(data: bytes, filename: str):
    response = send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=filename)
    response.headers["Cache-Control"] = "private, no-store"  # names and exam numbers: no shared caches
    return response


@bp.get("/me/registrations/<int:registration_id>/ticket.pdf", endpoint="ticket")
@signed_in
def ticket(registration_id: int):
    """Download my admission ticket; 404 for another's entry, 409 until the entry is approved."""
    registration = db.get_or_404(Registration, registration_id)
    data = tickets.own_ticket_pdf(registration, actor=current_user)
    return _pdf_download(data, f"准考证-{registration.exam_number}.pdf")


@bp.get("/manage/events/<int:event_id>/tickets.pdf")
@requires("competitions.manage", scope=scope_of_event_id, scope_arg="event_id")
def event_tickets(event_id: int):
    """Download every approved entry's admission ticket of an event, one page each, for printing."""
    event = db.get_or_404(Event, event_id)
    data = tickets.event_tickets_pdf(event, actor=current_user)
    return _pdf_download(data, f"准考证-{event.competition.year}-{event.code}.pdf")
