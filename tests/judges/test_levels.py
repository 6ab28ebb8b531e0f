"""The level and trade lists: codes checked and unique, names required, ranks bounded, only
association staff change them, every change audited."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.audit import AuditEntry
from app.core.errors import Conflict, InvalidInput, PermissionDenied
from app.judges.services import levels
from tests.factories import CommitteeFactory, staff
from tests.judges.factories import SpecialityFactory, level


def test_a_level_code_is_folded_to_its_plain_lower_case_form(db):
    made = levels.create_level(" ＩＮＤＵＳＴＲＹ ", "行业级", "Industry", 25, actor=staff())
    assert made.code == "industry"
    assert db.session.scalars(select(AuditEntry.action)).all() == ["judge_level.created"]


@pytest.mark.parametrize("code, name, rank, field", [
    ("", "名", 1, "code"), ("has space", "名", 1, "code"), ("-lead", "名", 1, "code"), ("x" * 33, "名", 1, "code"),
    ("ok", " ", 1, "name"), ("ok", "名" * 101, 1, "name"), ("ok", "名", -1, "rank"), ("ok", "名", 1001, "rank"),
    ("ok", "名", True, "rank"),
])
def test_bad_levels_are_refused_naming_the_field(db, code, name, rank, field):
    with pytest.raises(InvalidInput) as refused:
        levels.create_level(code, name, None, rank, actor=staff())
    assert refused.value.field == field


def test_codes_are_unique(db):
    level("national")
    with pytest.raises(Conflict):
        levels.create_level("national", "国家级", None, 30, actor=staff())
    SpecialityFactory(code="welder")
    with pytest.raises(Conflict):
        levels.create_speciality("WELDER", "焊工", actor=staff())


def test_renaming_and_reordering_keeps_the_code_and_is_audited(db):
    municipal = level("municipal")
    levels.update_level(municipal, "地市级", "City", 40, actor=staff())
    assert (municipal.code, municipal.name, municipal.rank) == ("municipal", "地市级", 40)
    assert levels.all_levels()[0] == municipal  # the most senior first now
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "judge_level.updated")).one()
    assert entry.before["rank"] == 10 and entry.after["rank"] == 40


def test_committee_staff_may_not_change_the_lists(db):
    outsider = staff(CommitteeFactory())
    with pytest.raises(PermissionDenied):
        levels.create_level("x", "x", None, 1, actor=outsider)
    with pytest.raises(PermissionDenied):
        levels.update_speciality(SpecialityFactory(), "新名", actor=outsider)
