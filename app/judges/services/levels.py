"""The two lists staff keep for the pool: judge levels (国家级, 省级 …) and trades (工种/专业).

A level's `code` and a trade's `code` are what Excel imports name, so they never change once
made; names and a level's rank (its place in the order, higher = more senior) may.
"""
from __future__ import annotations

import logging
import re
import unicodedata

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.core.errors import Conflict, InvalidInput
from app.core.permissions import require
from app.core.transaction import flush_or_refuse
from app.extensions import db
from app.judges.models import JudgeLevel, Speciality

log = logging.getLogger(__name__)

MAX_RANK = 1000
_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
LEVEL_AUDITED = ("code", "name", "name_en", "rank")
SPECIALITY_AUDITED = ("code", "name")


def all_levels() -> list[JudgeLevel]:
    """Every level, the most senior first."""
    return list(db.session.scalars(select(JudgeLevel).order_by(JudgeLevel.rank.desc(), JudgeLevel.id)))


def all_specialities() -> list[Speciality]:
    return list(db.session.scalars(select(Speciality).order_by(Speciality.code)))


def clean_code(raw: str | None) -> str:
    """A code as stored: NFKC-folded, lower case; raises InvalidInput unless it is 1–32 of a–z, 0–9, _ and -."""
    code = unicodedata.normalize("NFKC", raw or "").strip().lower()
    if not code:
        raise InvalidInput(_("Please enter the code."), field="code")
    if not _CODE.fullmatch(code):
        raise InvalidInput(_("A code has 1 to 32 letters, digits, “_” or “-”, and starts with a letter or digit."),
                           field="code")
    return code


def _name(raw: str | None, field: str, *, required: bool = True) -> str:
    name = " ".join(unicodedata.normalize("NFKC", raw or "").split())
    if required and not name:
        raise InvalidInput(_("Please enter the name."), field=field)
    if len(name) > 100:
        raise InvalidInput(_("At most %(n)d characters.", n=100), field=field)
    return name


def _rank(rank) -> int:
    if not isinstance(rank, int) or isinstance(rank, bool) or not 0 <= rank <= MAX_RANK:
        raise InvalidInput(_("The rank is a whole number from 0 to %(max)d.", max=MAX_RANK), field="rank")
    return rank


def _flush(message: str) -> None:
    # The unique code may lose a race with another writer after the look for it.
    flush_or_refuse(Conflict(message, field="code"))


def create_level(code: str, name: str, name_en: str | None, rank: int, *, actor) -> JudgeLevel:
    """Add a level; raises InvalidInput for a bad field, Conflict for a code already used."""
    require(actor, "judges.manage")
    level = JudgeLevel(code=clean_code(code), name=_name(name, "name"),
                       name_en=_name(name_en, "name_en", required=False), rank=_rank(rank))
    taken = _("A level with this code already exists.")
    if db.session.scalar(select(JudgeLevel.id).where(JudgeLevel.code == level.code)) is not None:
        raise Conflict(taken, field="code")
    db.session.add(level)
    _flush(taken)
    audit.record("judge_level.created", level, actor=actor, after=audit.snapshot(level, LEVEL_AUDITED))
    log.info("judge level %s created", level.id)
    return level


def update_level(level: JudgeLevel, name: str, name_en: str | None, rank: int, *, actor) -> JudgeLevel:
    """Rename a level or move it in the order (its rank); the code stays."""
    require(actor, "judges.manage")
    name, name_en, rank = _name(name, "name"), _name(name_en, "name_en", required=False), _rank(rank)
    before = audit.snapshot(level, LEVEL_AUDITED)
    level.name, level.name_en, level.rank = name, name_en, rank
    audit.record("judge_level.updated", level, actor=actor, before=before,
                 after=audit.snapshot(level, LEVEL_AUDITED))
    return level


def create_speciality(code: str, name: str, *, actor) -> Speciality:
    """Add a trade; raises InvalidInput for a bad field, Conflict for a code already used."""
    require(actor, "judges.manage")
    speciality = Speciality(code=clean_code(code), name=_name(name, "name"))
    taken = _("A trade with this code already exists.")
    if db.session.scalar(select(Speciality.id).where(Speciality.code == speciality.code)) is not None:
        raise Conflict(taken, field="code")
    db.session.add(speciality)
    _flush(taken)
    audit.record("speciality.created", speciality, actor=actor,
                 after=audit.snapshot(speciality, SPECIALITY_AUDITED))
    log.info("speciality %s created", speciality.id)
    return speciality


def update_speciality(speciality: Speciality, name: str, *, actor) -> Speciality:
    """Rename a trade; the code stays."""
    require(actor, "judges.manage")
    name = _name(name, "name")
    before = audit.snapshot(speciality, SPECIALITY_AUDITED)
    speciality.name = name
    audit.record("speciality.updated", speciality, actor=actor, before=before,
                 after=audit.snapshot(speciality, SPECIALITY_AUDITED))
    return speciality
