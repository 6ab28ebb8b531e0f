"""What people read for the pool's codes: kinds, certificate states and their badge colours."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _

from app.judges import validity
from app.judges.models import JudgeKind, JudgeLevel, MemberStatus, PanelRole

# Bootstrap badge classes for a certificate's (or a judge's) state.
STATE_BADGES = {
    validity.VALID: "text-bg-success",
    validity.EXPIRING: "text-bg-warning",
    validity.EXPIRED: "text-bg-danger",
    validity.NOT_YET_VALID: "text-bg-secondary",
    validity.NONE: "text-bg-light",
}


def kind_label(kind: JudgeKind) -> str:
    return {JudgeKind.JUDGE: _("Judge"), JudgeKind.EXPERT: _("Expert"), JudgeKind.BOTH: _("Judge and expert")}[kind]


def state_label(state: str) -> str:
    return {validity.VALID: _("Valid"), validity.EXPIRING: _("Expiring within 90 days"),
            validity.EXPIRED: _("Expired"), validity.NOT_YET_VALID: _("Not yet valid"),
            validity.NONE: _("No certificate")}[state]


def panel_role_label(role: PanelRole) -> str:
    return {PanelRole.CHIEF: _("Chief judge"), PanelRole.JUDGE: _("Judge"), PanelRole.RECORDER: _("Recorder"),
            PanelRole.RESERVE: _("Reserve")}[role]


def member_status_label(status: MemberStatus) -> str:
    return {MemberStatus.STANDBY: _("Reserve, not asked yet"),
            MemberStatus.INVITED: _("Invited"), MemberStatus.ACCEPTED: _("Accepted"),
            MemberStatus.DECLINED: _("Declined"), MemberStatus.REPLACED: _("Replaced"),
            MemberStatus.REMOVED: _("Removed")}[status]


def level_label(level: JudgeLevel, locale: str | None = None) -> str:
    """The level's Chinese name, or its English one on English pages when it has one."""
    if locale and not locale.startswith("zh") and level.name_en:
        return level.name_en
    return level.name


def level_choices(levels) -> list[tuple[int, str]]:
    """Choices of `levels` for a form, each by its name in the reader's language."""
    locale = str(get_locale() or "")
    return [(level.id, level_label(level, locale)) for level in levels]


def template_helpers() -> dict:
    """For the pool's templates: labels, badges and a certificate's state on a day."""
    return {"judge_kind_label": kind_label, "judge_state_label": state_label, "judge_state_badge": STATE_BADGES.get,
            "judge_level_label": level_label, "qualification_state": validity.qualification_state,
            "panel_role_label": panel_role_label, "member_status_label": member_status_label}
