"""Names of the orgs package's things in the reader's language, for pages and forms."""
from __future__ import annotations

from flask_babel import get_locale

from app.orgs.models import Committee


def committee_name(committee: Committee | None) -> str:
    """The committee's name: the English one on English pages when it has one."""
    if committee is None:
        return ""
    if get_locale() is not None and get_locale().language != "zh" and committee.name_en:
        return committee.name_en
    return committee.name


def template_helpers() -> dict:
    return {"committee_name": committee_name}
