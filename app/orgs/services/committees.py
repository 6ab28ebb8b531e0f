"""Committees (专业委员会): the association's specialist bodies that run contests and classes."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.core.errors import Conflict, Problems
from app.core.permissions import require
from app.extensions import db
from app.orgs.models import Committee


def all_committees() -> list[Committee]:
    return list(db.session.scalars(select(Committee).order_by(Committee.code)))


def check_committee(code: str | None, name: str | None) -> None:
    """Raises InvalidInput naming every problem of a new committee at once (Conflict when a
    taken code or name is the only one); changes nothing."""
    problems = Problems()
    code = (code or "").strip().lower()
    name = " ".join((name or "").split())
    if not code or len(code) > 32 or not code.replace("-", "").replace("_", "").isalnum() or not code.isascii():
        problems.add(_("The code has up to 32 letters, digits, “-” or “_”."), "code")
    elif db.session.scalar(select(Committee.id).where(Committee.code == code)) is not None:
        with problems.check():
            raise Conflict(_("A committee with this code already exists."), field="code")
    if not name or len(name) > 128:
        problems.add(_("Please enter the committee's name (at most 128 characters)."), "name")
    elif db.session.scalar(select(Committee.id).where(Committee.name == name)) is not None:
        with problems.check():
            raise Conflict(_("A committee with this name already exists."), field="name")
    problems.raise_any()


def create_committee(code: str, name: str, name_en: str | None, *, actor) -> Committee:
    """Add a committee; raises InvalidInput or Conflict."""
    require(actor, "grants.manage")
    check_committee(code, name)
    code = (code or "").strip().lower()
    name = " ".join((name or "").split())
    committee = Committee(code=code, name=name, name_en=(name_en or "").strip()[:128] or None)
    db.session.add(committee)
    audit.record("committee.created", committee, actor=actor, after={"code": code, "name": name})
    return committee
