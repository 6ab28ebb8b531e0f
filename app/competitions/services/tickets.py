"""Admission tickets (准考证): the signed check-in token, and the printable PDF with its QR code.

The QR code holds only a token (core.documents.tokens, purpose "admission-ticket") signed
with the app's SECRET_KEY over the entry's id, its event id and its exam number — never a
name or an ID number, so a photographed ticket tells a stranger nothing the printed page
does not. A token carries no expiry: it is valid while its entry is approved (withdrawing
or rejecting the entry voids it), and rotating SECRET_KEY voids every printed ticket.

The PDF is one A4 page per entry, drawn with the pieces every document shares
(core.documents: the CJK font, wrapping, the QR code, the page helpers). An entry with seats
prints each session it sits in — time (in the association's zone), venue · room, and the
station (a team's: each member's) — from services.timetables; an entry not seated yet says
so (待分配 / to be assigned), with the contest's days and place when they are known.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.competitions.models import Event, Registration, RegistrationStatus as Status, Team, TeamRole
from app.competitions.services.access import event_scope
from app.competitions.services.registration import WrongState, status_label
from app.competitions.services.timetables import EntrySession, sessions_of_entries
from app.core.documents import tokens
from app.core.documents.fonts import font_name
from app.core.documents.pdf import GREY, LIGHT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, centred, draw_png, pages_pdf
from app.core.documents.qr import qr_png
from app.core.documents.text import wrap
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.permissions import require
from app.extensions import db

log = logging.getLogger(__name__)

# The purpose is the salt tickets were first signed with, so tickets already printed verify.
TOKEN_KIND = tokens.TokenKind(purpose="admission-ticket")


# --- the token ---------------------------------------------------------------------------

@dataclass(frozen=True)
class TicketClaim:
    """What a valid token says: entry `registration_id` in event `event_id`, number `exam_number`."""

    registration_id: int
    event_id: int
    exam_number: str


def _not_a_ticket() -> InvalidInput:
    return InvalidInput(_("This QR code is not a Jiyi admission ticket, or it has been altered."))


def token_for(registration: Registration) -> str:
    """The signed check-in token of an approved entry; raises WrongState for any other."""
    if registration.status != Status.APPROVED or not registration.exam_number:
        raise WrongState(_("This entry is %(status)s; only approved entries have an admission ticket.",
                           status=status_label(registration.status)))
    return tokens.sign(TOKEN_KIND, {"r": registration.id, "e": registration.event_id, "n": registration.exam_number})


def read_token(token: str) -> TicketClaim:
    """The claim a token makes, once its signature holds; raises InvalidInput otherwise.

    Only the signature is checked here; `registration_for_claim` checks the claim against
    the database.
    """
    try:
        payload = tokens.read(TOKEN_KIND, token or "")
    except tokens.BadToken:
        raise _not_a_ticket() from None
    if not (isinstance(payload, dict) and isinstance(payload.get("r"), int)
            and isinstance(payload.get("e"), int) and isinstance(payload.get("n"), str)):
        raise _not_a_ticket()  # signed by us, but not a ticket's shape (another use of the key)
    return TicketClaim(payload["r"], payload["e"], payload["n"])


def registration_for_claim(claim: TicketClaim) -> Registration:
    """The approved entry a claim names; raises InvalidInput for an unknown or mismatched
    entry, or one no longer approved (withdrawn, rejected)."""
    registration = db.session.get(Registration, claim.registration_id)
    if (registration is None or registration.event_id != claim.event_id
            or registration.exam_number != claim.exam_number):
        raise InvalidInput(_("This admission ticket matches no entry here: it may be from another "
                             "system or an old exam number."))
    if registration.status != Status.APPROVED:
        raise InvalidInput(_("This admission ticket is no longer valid: the entry is %(status)s.",
                             status=status_label(registration.status)))
    return registration


def registration_for_token(token: str) -> Registration:
    """The approved entry a scanned token stands for.

    Raises InvalidInput for a bad signature (not ours, or altered), an unknown or
    mismatched entry, or an entry that is no longer approved.
    """
    return registration_for_claim(read_token(token))


# --- who may download which tickets --------------------------------------------------------

def _holds(registration: Registration, user) -> bool:
    """The entrant themself, or (for a team entry) one of the team's active members."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if registration.person_id == user.person_id:
        return True
    team = registration.team
    return team is not None and any(m.is_active and m.person_id == user.person_id for m in team.members)


def own_ticket_pdf(registration: Registration, *, actor) -> bytes:
    """The ticket of `actor`'s own entry; raises NotFound for someone else's entry and
    WrongState (409) for an entry that is not approved.

    Someone else's entry is answered like a missing one, so entry ids cannot be probed
    (and a `signed_in` page never answers 403: the route matrix holds us to that).
    """
    if not _holds(registration, actor):
        raise NotFound(_("The page or record was not found."))
    if registration.status != Status.APPROVED:
        raise WrongState(_("Your entry is %(status)s; the admission ticket is issued once it is approved.",
                           status=status_label(registration.status)))
    return ticket_pdf([registration])


def approved_entries(event: Event) -> list[Registration]:
    """The approved entries of `event` by exam number, with what a ticket prints loaded."""
    return list(db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == Status.APPROVED)
        .order_by(func.length(Registration.exam_number), Registration.exam_number)  # "…9" before "…10"
        .options(selectinload(Registration.person),
                 selectinload(Registration.team).selectinload(Team.members))))


def event_tickets_pdf(event: Event, *, actor) -> bytes:
    """Every approved entry's ticket of `event`, one page each in exam-number order.

    Raises PermissionDenied without competitions.manage in the event's scope, and Conflict
    when no entry is approved yet.
    """
    require(actor, "competitions.manage", event_scope(event))
    entries = approved_entries(event)
    if not entries:
        raise Conflict(_("No entry of this event is approved yet, so there are no admission tickets."))
    log.info("admission tickets of event %s (%d) rendered by user %s", event.id, len(entries), actor.id)
    return ticket_pdf(entries)


# --- the PDF -----------------------------------------------------------------------------

# The ticket is one bilingual document whatever the reader's language, so its labels are
# written here in both languages rather than translated per request.
TO_BE_ANNOUNCED = "待定 / to be announced"
TO_BE_ASSIGNED = "待分配 / to be assigned"
NOTES = (
    ("请携带本准考证和有效身份证件，按通知的时间到检录处检录。",
     "Bring this ticket and your ID document to check-in at the announced time."),
    ("场次、时间和地点确定后另行通知。",
     "The session, time and place will be announced."),
    ("二维码仅供本人检录使用，请勿转给他人。",
     "The QR code is for your own check-in only; do not pass it on."),
)
SEATED_NOTE = ("请按本准考证所列场次、时间和地点参赛，在所列工位就座。",
               "Come to the session, time and place printed here and sit at your station.")
LEFT, RIGHT = MARGIN, PAGE_WIDTH - MARGIN


def _session_rows(sessions: list[EntrySession], is_team: bool) -> list[tuple[str, str, str]]:
    rows = []
    for session in sessions:
        what = f"{session.stage_name} · {session.session_name}" if session.stage_name else session.session_name
        rows += [("场次", "Session", what),
                 ("时间", "Time", f"{session.starts_at:%Y-%m-%d %H:%M}–{session.ends_at:%H:%M}"),
                 ("地点", "Place", session.place),
                 ("工位", "Station", "、".join(f"{number}（{name}）" if is_team else str(number)
                                               for number, name in session.stations))]
    return rows


def _rows_of(registration: Registration, sessions: list[EntrySession] = ()) -> list[tuple[str, str, str]]:
    person = registration.person  # for a team entry, its captain
    is_team = registration.team is not None
    rows = [("队长", "Captain", person.full_name) if is_team else ("姓名", "Name", person.full_name),
            ("证件号码", "ID number", person.id_masked or "—"),
            ("准考证号", "Exam number", registration.exam_number or "—")]
    if person.organisation is not None:
        rows.append(("工作单位", "Unit", person.organisation.name))
    if is_team:
        members = "、".join(m.person.full_name for m in registration.team.members
                           if m.is_active and m.role == TeamRole.CONTESTANT)
        rows.append(("队名", "Team", registration.team.name))
        rows.append(("队员", "Members", members))
    if sessions:
        return rows + _session_rows(sessions, is_team)
    first, last = registration.event.dates
    days = (first.isoformat() + (f" – {last.isoformat()}" if last and last != first else "")) if first else None
    rows += [("场次", "Session", TO_BE_ASSIGNED),
             ("时间", "Time", days or TO_BE_ANNOUNCED),
             ("地点", "Place", registration.event.where or TO_BE_ANNOUNCED),
             ("工位", "Station", TO_BE_ASSIGNED)]
    return rows


def _draw_ticket(canvas: Canvas, registration: Registration, sessions: list[EntrySession], font: str) -> None:
    event = registration.event
    top = PAGE_HEIGHT - 20 * mm
    canvas.setFillColorRGB(0, 0, 0)
    y = centred(canvas, "准考证", top - 8 * mm, font, 26, RIGHT - LEFT)
    canvas.setFillColor(GREY)
    y = centred(canvas, "Admission ticket", y + 2 * mm, font, 12, RIGHT - LEFT)
    canvas.setFillColorRGB(0, 0, 0)
    y = centred(canvas, event.competition.name, y - 4 * mm, font, 14, RIGHT - LEFT)
    y = centred(canvas, f"赛项 / Event：{event.name}", y - 1 * mm, font, 12, RIGHT - LEFT)
    rule = y - 1 * mm
    canvas.setStrokeColor(LIGHT)
    canvas.line(LEFT, rule, RIGHT, rule)

    # The photo box and the QR code on the right; the particulars on the left of them.
    photo_w, photo_h = 35 * mm, 45 * mm
    photo_x, photo_top = RIGHT - photo_w, rule - 8 * mm
    canvas.setDash(3, 2)
    canvas.rect(photo_x, photo_top - photo_h, photo_w, photo_h)
    canvas.setDash()
    canvas.setFillColor(LIGHT)
    canvas.setFont(font, 11)
    canvas.drawCentredString(photo_x + photo_w / 2, photo_top - photo_h / 2 + 2 * mm, "照片")
    canvas.setFont(font, 8)
    canvas.drawCentredString(photo_x + photo_w / 2, photo_top - photo_h / 2 - 3 * mm, "photo")

    qr_size = 45 * mm
    # The image's quiet zone is white, so the code lines up with the photo box's centre.
    qr_x, qr_y = photo_x + (photo_w - qr_size) / 2, photo_top - photo_h - 6 * mm - qr_size
    draw_png(canvas, qr_png(token_for(registration)), qr_x, qr_y, qr_size)
    canvas.setFillColor(GREY)
    canvas.setFont(font, 8)
    canvas.drawCentredString(photo_x + photo_w / 2, qr_y - 1 * mm, "检录二维码 / Check-in code")

    label_x, value_x, value_width = LEFT, LEFT + 32 * mm, photo_x - LEFT - 38 * mm
    y = rule - 14 * mm
    for label_zh, label_en, value in _rows_of(registration, sessions):
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(font, 11)
        canvas.drawString(label_x, y, label_zh)
        canvas.setFillColor(GREY)
        canvas.setFont(font, 7.5)
        canvas.drawString(label_x, y - 3.6 * mm, label_en)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(font, 13)
        lines = wrap(value, font, 13, value_width)
        for i, line in enumerate(lines):
            canvas.drawString(value_x, y - i * 5.5 * mm, line)
        y -= max(12 * mm, (len(lines) + 1) * 5.5 * mm)

    y = min(y, qr_y - 8 * mm) - 2 * mm
    canvas.setStrokeColor(LIGHT)
    canvas.line(LEFT, y + 6 * mm, RIGHT, y + 6 * mm)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(font, 11)
    canvas.drawString(LEFT, y, "考生须知 / Notes")
    y -= 7 * mm
    notes = (NOTES[0], SEATED_NOTE, NOTES[2]) if sessions else NOTES
    for number, (zh, en) in enumerate(notes, start=1):
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(font, 10)
        canvas.drawString(LEFT, y, f"{number}. {zh}")
        canvas.setFillColor(GREY)
        canvas.setFont(font, 8)
        canvas.drawString(LEFT + 4 * mm, y - 4.5 * mm, en)
        y -= 11 * mm


def ticket_pdf(registrations: list[Registration]) -> bytes:
    """One PDF with an A4 admission ticket per approved entry, in the order given.

    Raises WrongState when one of them is not approved (it has no valid token).
    """
    font = font_name()
    seated = sessions_of_entries([registration.id for registration in registrations])
    return pages_pdf(registrations,
                     lambda canvas, registration: _draw_ticket(canvas, registration, seated.get(registration.id, []),
                                                               font),
                     title="准考证 / Admission ticket")
