"""What scoring adds to the shared pages (app/core/registry.py): its menu entry and audit words.

Building a scheme needs no permission of its own: whoever manages the event's setup
(`competitions.manage` in the event's committee) builds its schemes."""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.competitions.models import Competition, Event
from app.core import audit_log
from app.core.registry import Registry
from app.extensions import db
from app.judges.models import Panel
from app.judges.services.relations import PANEL_MEMBER
from app.scoring.models import MarkCorrection, MarkingScheme, ScoreSheet


def _scheme_names(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(MarkingScheme.id, MarkingScheme.name, Event.name)
                              .join(Event, MarkingScheme.event_id == Event.id).where(MarkingScheme.id.in_(ids)))
    return {id_: f"{scheme} · {event}" for id_, scheme, event in rows}


def _schemes_in(committee_ids: set[int]):
    return (select(MarkingScheme.id).join(Event, MarkingScheme.event_id == Event.id).join(Competition)
            .where(Competition.committee_id.in_(committee_ids)))


def _sheet_names(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(ScoreSheet.id, Panel.name, Event.name).join(Panel, ScoreSheet.panel_id == Panel.id)
                              .join(Event, Panel.event_id == Event.id).where(ScoreSheet.id.in_(ids)))
    return {id_: f"{panel} · {event} · #{id_}" for id_, panel, event in rows}


def _sheets_in(committee_ids: set[int]):
    return (select(ScoreSheet.id).join(Panel, ScoreSheet.panel_id == Panel.id).join(Event, Panel.event_id == Event.id)
            .join(Competition).where(Competition.committee_id.in_(committee_ids)))


def _correction_names(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(MarkCorrection.id, Panel.name).join(Panel, MarkCorrection.panel_id == Panel.id)
                              .where(MarkCorrection.id.in_(ids)))
    return {id_: f"{panel} · #{id_}" for id_, panel in rows}


def _corrections_in(committee_ids: set[int]):
    return (select(MarkCorrection.id).join(Panel, MarkCorrection.panel_id == Panel.id)
            .join(Event, Panel.event_id == Event.id).join(Competition)
            .where(Competition.committee_id.in_(committee_ids)))


def register(registry: Registry) -> None:
    registry.menu_entry("scoring.events", _l("Marking schemes"), group="competitions", order=45,
                        permission="competitions.manage")
    audit_log.register_object_type("marking_schemes", audit_log.ObjectType(
        _l("Marking scheme"), _scheme_names, lambda id_: url_for("scoring.scheme", scheme_id=id_), _schemes_in))
    audit_log.register_actions({
        "scoring.scheme_created": _l("Marking scheme added"), "scoring.scheme_changed": _l("Marking scheme changed"),
        "scoring.scheme_frozen": _l("Marking scheme frozen by the first mark"),
        "scoring.scheme_deleted": _l("Marking scheme deleted"),
    })
    registry.menu_entry("scoring.my_sheets", _l("My score sheets"), group="judges", order=40,
                        relation=PANEL_MEMBER, testid="my-score-sheets")
    audit_log.register_object_type("score_sheets", audit_log.ObjectType(_l("Score sheet"), _sheet_names, None,
                                                                        _sheets_in))
    audit_log.register_actions({
        "scoring.sheet_submitted": _l("Score sheet handed in"), "scoring.sheet_locked": _l("Score sheet locked"),
        "scoring.mark_changed": _l("Handed-in mark changed"),
        "scoring.aspect_locked": _l("Aspect locked on every sheet"),
    })
    audit_log.register_fields({"version": _l("Version"), "value": _l("Mark"), "aspect": _l("Aspect"),
                               "judge": _l("Judge"), "as": _l("Approved as")})
    audit_log.register_object_type("mark_corrections", audit_log.ObjectType(
        _l("Mark correction"), _correction_names, None, _corrections_in))
    audit_log.register_actions({
        "scoring.correction_asked": _l("Correction of a locked mark asked for"),
        "scoring.correction_approved": _l("Correction approved"),
        "scoring.correction_refused": _l("Correction refused"),
        "scoring.mark_corrected": _l("Locked mark corrected"),
        "scoring.third_marker": _l("Third marker asked"),
    })
    # To the panel's chief judges and staff. context: panel, old, new (decimal text)
    registry.notification_kind(
        "scoring.correction", label=_l("A correction of a locked mark waits for approval (chief judge, staff)"),
        title=_l("%(panel)s: a correction of a mark (%(old)s → %(new)s) waits for you"),
        body=_l("A correction of a locked mark on %(panel)s, from %(old)s to %(new)s, needs the approval of the "
                "chief judge and of staff. Please approve or refuse it."))
    # To the one who asked. context: panel, old, new (decimal text); refused: reason too
    registry.notification_kind(
        "scoring.correction_applied", label=_l("Your correction of a mark was approved"),
        title=_l("%(panel)s: your correction %(old)s → %(new)s was approved"),
        body=_l("Your correction of a mark on %(panel)s, from %(old)s to %(new)s, was approved by the chief judge "
                "and staff, and the mark changed."))
    registry.notification_kind(
        "scoring.correction_refused", label=_l("Your correction of a mark was refused"),
        title=_l("%(panel)s: your correction %(old)s → %(new)s was refused"),
        body=_l("Your correction of a mark on %(panel)s, from %(old)s to %(new)s, was refused: %(reason)s"))
    # To the judge asked. context: panel, aspect, contestant (as their sheet shows them)
    registry.notification_kind(
        "scoring.third_marker", label=_l("You are asked to mark as a third marker"),
        title=_l("%(panel)s: please mark %(aspect)s of %(contestant)s as the third marker"),
        body=_l("The judges' marks on %(aspect)s of %(contestant)s (%(panel)s) are too far apart. The chief judge "
                "asks you to mark it as the third marker, on your score sheet."))
    # To the panel's chief judge. context: panel, aspect (names), spread, allowed (decimal text)
    registry.notification_kind(
        "scoring.spread", label=_l("Judges' marks too far apart (chief judge)"),
        title=_l("%(panel)s: marks on %(aspect)s differ by %(spread)s"),
        body=_l("On %(panel)s the judges' marks on %(aspect)s differ by %(spread)s, more than the %(allowed)s "
                "allowed. Please look at the progress matrix."))
    audit_log.register_actions({
        "scoring.results_published": _l("Results published"),
        "scoring.results_scheduled": _l("Publication of results scheduled"),
        "scoring.results_schedule_cancelled": _l("Scheduled publication of results cancelled"),
        "scoring.advanced": _l("Contestants advanced to the next stage"),
    })
    audit_log.register_fields({"reason": _l("Reason"), "due_at": _l("Due"), "event": _l("Event"),
                               "count": _l("Number")})
    # To each contestant in a published result. context: event (name), version (number)
    registry.notification_kind(
        "scoring.results", label=_l("Results published"),
        title=_l("%(event)s: results published"),
        body=_l("The results of %(event)s are published (version %(version)s). You can see them on the results page."))
