"""Names of the accounts package's codes in the reader's language, for pages and messages."""
from __future__ import annotations

from flask_babel import gettext as _

from app.accounts.models import SkillLevel


def skill_level_label(level: SkillLevel | str | None) -> str:
    """The skill level's name (四级（中级工）), never its stored digit; "" for none."""
    if level is None or level == "":
        return ""
    return {SkillLevel.LEVEL_5: _("Level 5 (junior worker)"), SkillLevel.LEVEL_4: _("Level 4 (intermediate worker)"),
            SkillLevel.LEVEL_3: _("Level 3 (senior worker)"), SkillLevel.LEVEL_2: _("Level 2 (technician)"),
            SkillLevel.LEVEL_1: _("Level 1 (senior technician)")}[SkillLevel(level)]


def template_helpers() -> dict:
    return {"skill_level_label": skill_level_label}
