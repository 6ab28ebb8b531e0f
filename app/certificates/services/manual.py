"""Staff issuing one certificate by hand (the manual source): the holder found by their
resident ID number and name, the subject and facts as typed."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.accounts.models import Person
from app.accounts.services.people import find_by_id_number
from app.certificates.models import Certificate, CertificateTemplate, Kind
from app.certificates.services import issuing
from app.certificates.services.verification import name_key
from app.certificates.sources import MANUAL, Issuable
from app.core import ids
from app.core.errors import InvalidInput, Problems


@dataclass(frozen=True)
class ManualRequest:
    holder_name: str | None
    holder_id_number: str | None
    kind: str | None
    template: CertificateTemplate | None
    subject: str
    facts: list[tuple[str, str]]


def _holder(request: ManualRequest) -> Person:
    """The person with this resident ID number and name; raises InvalidInput otherwise (the
    same words for an unknown number and a wrong name: the form reveals no one's number)."""
    unknown = InvalidInput(_("No person with this name and ID number is registered; add them under People first."),
                           "holder_id_number")
    try:
        number = ids.validate_document(ids.IdType.RESIDENT_ID, (request.holder_id_number or "").strip())
    except ids.IdNumberError:
        raise InvalidInput(_("This is not a valid resident ID number."), "holder_id_number") from None
    person = find_by_id_number(ids.IdType.RESIDENT_ID, number)
    if person is None or name_key(person.full_name) != name_key(request.holder_name or ""):
        raise unknown
    return person


def _issuable(request: ManualRequest, holder_id: int) -> Issuable:
    return MANUAL.issuable(holder_id, Kind(request.kind), request.subject or "", request.facts)


def check(request: ManualRequest) -> None:
    """Every problem with the request at once; raises InvalidInput."""
    problems = Problems()
    holder = None
    with problems.check():
        holder = _holder(request)
    if request.kind not in {kind.value for kind in Kind}:
        problems.add(_("Please choose the kind."), "kind")
    else:
        with problems.check():
            issuing.check(_issuable(request, holder.id if holder else 0), request.template,
                          holder if holder is not None else Person(full_name=""))
    problems.raise_any()


def issue(request: ManualRequest, *, actor) -> Certificate:
    """Issue the certificate staff described; raises InvalidInput, and Conflict when the
    person already has it."""
    check(request)
    return issuing.issue(_issuable(request, _holder(request).id), request.template, actor=actor)
