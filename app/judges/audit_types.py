"""How the judge pool and its panels read in the audit log (core.audit_log).

The pool is the association's: none of it sits in a committee, so a committee's staff do
not see these lines."""
from __future__ import annotations

from flask import url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import Person
from app.core import audit_log
from app.extensions import db
from app.judges.labels import kind_label, member_status_label, panel_role_label
from app.judges.models import (Draw, JudgeKind, JudgeLevel, JudgeProfile, MemberStatus, Panel, PanelMember, PanelRole,
                               Speciality)


def _profiles(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(JudgeProfile.id, Person.full_name)
                              .join(Person, JudgeProfile.person_id == Person.id).where(JudgeProfile.id.in_(ids)))
    return dict(rows.all())


def _levels(ids: list[int]) -> dict[int, str]:
    english = get_locale().language != "zh"
    rows = db.session.execute(select(JudgeLevel.id, JudgeLevel.name, JudgeLevel.name_en).where(JudgeLevel.id.in_(ids)))
    return {id_: (name_en if english and name_en else name) for id_, name, name_en in rows}


def _specialities(ids: list[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Speciality.id, Speciality.name).where(Speciality.id.in_(ids))).all())


def _panels(ids: list[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Panel.id, Panel.name).where(Panel.id.in_(ids))).all())


def _members(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(PanelMember.id, Person.full_name, Panel.name)
                              .join(Panel, PanelMember.panel_id == Panel.id)
                              .join(JudgeProfile, PanelMember.profile_id == JudgeProfile.id)
                              .join(Person, JudgeProfile.person_id == Person.id).where(PanelMember.id.in_(ids)))
    return {id_: f"{person} · {panel}" for id_, person, panel in rows}


def _member_url(member_id: int) -> str | None:
    panel_id = db.session.scalar(select(PanelMember.panel_id).where(PanelMember.id == member_id))
    return url_for("judges.panel", panel_id=panel_id) if panel_id else None


def _draws(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(Draw.id, Panel.name).join(Panel, Draw.panel_id == Panel.id)
                              .where(Draw.id.in_(ids)))
    return dict(rows.all())


def register() -> None:
    """Describe the judges package's objects and actions to the audit log."""
    kinds = {
        "judge_profiles": audit_log.ObjectType(_l("Judge"), _profiles,
                                               lambda id_: url_for("judges.judge", profile_id=id_)),
        "judge_levels": audit_log.ObjectType(_l("Judge level"), _levels),
        "specialities": audit_log.ObjectType(_l("Trade"), _specialities),
        "panels": audit_log.ObjectType(_l("Judge panel"), _panels, lambda id_: url_for("judges.panel", panel_id=id_)),
        "panel_members": audit_log.ObjectType(_l("Panel seat"), _members, _member_url),
        "draws": audit_log.ObjectType(_l("Draw"), _draws, lambda id_: url_for("judges.draw_record", draw_id=id_)),
    }
    for table, kind in kinds.items():
        audit_log.register_object_type(table, kind)
    audit_log.register_values("panel_members", "status", lambda value: member_status_label(MemberStatus(value)))
    audit_log.register_values("panel_members", "role", lambda value: panel_role_label(PanelRole(value)))
    audit_log.register_values("judge_profiles", "kind", lambda value: kind_label(JudgeKind(value)))
    audit_log.register_values("judge_profiles", "level_id", lambda value: _levels([value]).get(value, str(value)))
    audit_log.register_actions({
        "panel.session_set": _l("Panel's session set"),
        "judge.created": _l("Judge added"), "judge.updated": _l("Judge changed"),
        "judge.imported": _l("Judges imported from Excel"), "judge.reactivated": _l("Judge back in the pool"),
        "judge.deactivated": _l("Judge taken out of the pool"),
        "judge.qualification_added": _l("Qualification added"),
        "judge.qualification_updated": _l("Qualification changed"),
        "judge.qualification_removed": _l("Qualification removed"),
        "judge.availability_added": _l("Availability added"), "judge.availability_removed": _l("Availability removed"),
        "judge.conflict_declared": _l("Conflict declared"), "judge.conflict_removed": _l("Conflict removed"),
        "judge_level.created": _l("Judge level added"), "judge_level.updated": _l("Judge level changed"),
        "speciality.created": _l("Trade added"), "speciality.updated": _l("Trade changed"),
        "panel.created": _l("Panel added"), "panel.updated": _l("Panel changed"), "panel.drawn": _l("Panel drawn"),
        "panel.short": _l("Panel short of judges"), "panel.member_assigned": _l("Judge seated on a panel"),
        "panel.member_removed": _l("Judge removed from a panel"), "panel.reserve_called": _l("Reserve called"),
        "panel.reserve_passed_over": _l("Reserve passed over"),
        "panel.invitation_accepted": _l("Invitation accepted"), "panel.invitation_declined": _l("Invitation declined"),
    })
    audit_log.register_fields({
        "kind": _l("Kind"), "level_id": _l("Level"), "region": _l("Region"), "is_active": _l("In the pool"),
        "notes": _l("Notes"), "speciality_codes": _l("Trades"), "number": _l("Certificate number"),
        "issuer": _l("Issued by"), "issued_on": _l("Issued on"), "expires_on": _l("Valid until"),
        "starts_on": _l("From"), "ends_on": _l("Until"), "note": _l("Note"), "person_id": _l("Person"),
        "reason": _l("Reason"), "speciality_id": _l("Trade"), "min_level_id": _l("Minimum level"),
        "chiefs": _l("Chief judges"), "judges": _l("Judges"), "reserves": _l("Reserves"),
        "max_per_unit": _l("At most per unit"), "max_per_region": _l("At most per region"),
        "compatriot_rule": _l("Same-unit rule"), "draw_id": _l("Draw"), "reserve_order": _l("Reserve order"),
        "decline_reason": _l("Reason for declining"), "profile_id": _l("Judge"), "panel_id": _l("Panel"),
        "rank": _l("Rank"), "merged": _l("Merged"),
    })
