"""Marking schemes: their definition checked whole, stored as a version, turned into the
arithmetic's SchemeSpec, frozen by the first mark and versioned after.

A definition is plain values (the API's JSON with Decimals; the pages build the same):

    {"spread_action" (optional: the scheme's, how a third marker's mark combines),
     "total_rounding": {"rule", "places"}, "tie_breaks": [{"kind", "key", "higher_is_better"}],
     "award": {"method", "levels": [{"name", "limit"}], "rounding"},
     "standardisation": {"method", "mean", "spread", "benchmark", "rounding": {"rule", "places"}},
     "components": [{"key", "name", "weight", "scale_to", "is_theory", "rounding",
                     "criteria": [{"name", "aspects": [{"key", "name", "maximum", "kind",
                         "scale": {"min", "max", "step"}, "allowed_spread", "judges",
                         "aggregation": {"method", "drop_high", "drop_low"},
                         "attempts": {"rule", "count", "best_k"}, "uses_factor", "rounding"}]}]}]}

`check_definition` reports every problem at once and changes nothing. `save_definition`
writes into the current version while it is not frozen, else makes version n+1. The score
entry slice calls `freeze(version)` with its first mark, in the same transaction.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import abort
from flask_babel import gettext as _

from app.core import audit
from app.core.errors import InvalidInput, Problems
from app.core.time import utcnow
from app.extensions import db
from app.scoring.arithmetic import aspects as aspect_rules
from app.scoring.arithmetic import attempts as attempt_rules
from app.scoring.arithmetic import awards, standardise, totals
from app.scoring.arithmetic.results import (TIE_BREAK_KINDS, AspectSpec, ComponentSpec, CriterionSpec, SchemeSpec,
                                            TieBreak)
from app.scoring.arithmetic.rounding import MAX_PLACES, RULES, Rounding
from app.scoring.models import MarkingScheme, SchemeAspect, SchemeComponent, SchemeCriterion, SchemeVersion

MAX_COMPONENTS, MAX_CRITERIA, MAX_ASPECTS = 10, 50, 200
MAX_JUDGES, MAX_ATTEMPTS, MAX_AWARDS, MAX_TIE_BREAKS = 30, 20, 10, 10
DEFAULT_ROUNDING = {"rule": "half_up", "places": 2}


def empty_definition() -> dict:
    return {"total_rounding": dict(DEFAULT_ROUNDING), "tie_breaks": [], "award": {"method": "none", "levels": [],
            "rounding": "half_up"}, "standardisation": {"method": "none", "mean": None, "spread": None,
            "benchmark": None, "rounding": dict(DEFAULT_ROUNDING)}, "components": []}


def national_preset() -> dict:
    """Theory 30 % and practical 70 %, each out of 100 (cn_competition_rules.json)."""
    definition = empty_definition()
    definition["total_rounding"] = {"rule": "half_up", "places": 2}
    for part in totals.national_theory_practical():
        definition["components"].append({
            "key": part["key"], "name": part["name"], "weight": part["weight"], "scale_to": part["scale_to"],
            "is_theory": part["is_theory"], "rounding": dict(DEFAULT_ROUNDING), "criteria": []})
    return definition


# ---- checking -------------------------------------------------------------------------------------------------

def _rounding_problems(rounding: Any, where: str, problems: Problems) -> None:
    if not isinstance(rounding, dict) or rounding.get("rule") not in RULES:
        problems.add(_("%(where)s: please choose a rounding rule.", where=where), "rounding")
    elif not isinstance(rounding.get("places"), int) or not 0 <= rounding["places"] <= MAX_PLACES:
        problems.add(_("%(where)s: round to between 0 and %(most)d decimal places.", where=where, most=MAX_PLACES),
                     "rounding")


def _aspect_problems(aspect: dict, problems: Problems) -> None:
    where = _("Aspect %(name)s", name=aspect.get("name") or aspect.get("key") or "?")
    scale = aspect.get("scale") or {}
    low, high, step = scale.get("min"), scale.get("max"), scale.get("step")
    if aspect.get("kind") not in aspect_rules.KINDS:
        problems.add(_("%(where)s: please choose measurement, judgement or deduction.", where=where), "kind")
    if aspect.get("maximum") is None or aspect["maximum"] <= 0:
        problems.add(_("%(where)s: the maximum must be above zero.", where=where), "maximum")
    if low is None or high is None or low >= high:
        problems.add(_("%(where)s: the scale's highest mark must be above its lowest.", where=where), "scale")
    elif step is not None and (step <= 0 or (high - low) % step != 0):
        problems.add(_("%(where)s: the step must be above zero and divide the scale evenly.", where=where), "scale")
    spread = aspect.get("allowed_spread")
    if spread is not None and (spread < 0 or aspect.get("kind") != "judgement"):
        problems.add(_("%(where)s: an allowed spread is zero or more, and only for a judgement.", where=where),
                     "allowed_spread")
    judges = aspect.get("judges")
    if judges is not None and not 1 <= judges <= MAX_JUDGES:
        problems.add(_("%(where)s: between 1 and %(most)d judges.", where=where, most=MAX_JUDGES), "judges")
    if aspect.get("kind") == "measurement" and judges is not None and judges > 2:
        problems.add(_("%(where)s: a measurement is entered by one judge, or by two who must agree.", where=where),
                     "judges")
    how = aspect.get("aggregation") or {}
    if how.get("method") not in aspect_rules.AGGREGATIONS:
        problems.add(_("%(where)s: please choose how the judges' marks combine.", where=where), "aggregation")
    elif how["method"].startswith("trimmed"):
        dropped = (how.get("drop_high") or 0) + (how.get("drop_low") or 0)
        if judges is None or dropped >= judges or min(how.get("drop_high") or 0, how.get("drop_low") or 0) < 0:
            problems.add(_("%(where)s: a trimmed score needs a number of judges larger than the marks dropped.",
                           where=where), "aggregation")
    attempts = aspect.get("attempts") or {}
    count, best_k = attempts.get("count"), attempts.get("best_k") or 1
    if attempts.get("rule") not in attempt_rules.RULES:
        problems.add(_("%(where)s: please choose how attempts count.", where=where), "attempts")
    elif count is not None and not 1 <= count <= MAX_ATTEMPTS:
        problems.add(_("%(where)s: between 1 and %(most)d attempts.", where=where, most=MAX_ATTEMPTS), "attempts")
    elif attempts["rule"] == "best_k" and (best_k < 1 or (count is not None and best_k > count)):
        problems.add(_("%(where)s: the best K attempts must be no more than the attempts made.", where=where),
                     "attempts")
    _rounding_problems(aspect.get("rounding"), where, problems)


def check_definition(definition: dict, *, draft: bool = False) -> None:
    """Raise InvalidInput naming every problem of the definition; nothing is written. A `draft`
    (a scheme being built on its pages) may still lack components and aspects, and its weights
    need not add up yet; marks and the preview need the whole."""
    problems = Problems()
    components = definition.get("components") or []
    if not components and not draft:
        problems.add(_("A scheme needs at least one component (e.g. practical)."), "components")
    if len(components) > MAX_COMPONENTS:
        problems.add(_("A scheme has at most %(most)d components.", most=MAX_COMPONENTS), "components")
    component_keys = [c.get("key") for c in components]
    aspects = [a for c in components for cr in c.get("criteria") or [] for a in cr.get("aspects") or []]
    aspect_keys = [a.get("key") for a in aspects]
    for keys, what in ((component_keys, _("component")), (aspect_keys, _("aspect"))):
        if len(set(keys)) != len(keys) or not all(keys):
            problems.add(_("Each %(what)s needs its own short code.", what=what), "key")
    if len(aspects) > MAX_ASPECTS:
        problems.add(_("A scheme has at most %(most)d aspects.", most=MAX_ASPECTS), "components")
    for component in components:
        where = _("Component %(name)s", name=component.get("name") or component.get("key") or "?")
        if not draft and (not component.get("criteria") or not all(cr.get("aspects") for cr in component["criteria"])):
            problems.add(_("%(where)s: every criterion needs at least one aspect, and it at least one criterion.",
                           where=where), "criteria")
        if component.get("scale_to") is not None and component["scale_to"] <= 0:
            problems.add(_("%(where)s: scale to a number above zero, or leave it empty.", where=where), "scale_to")
        _rounding_problems(component.get("rounding"), where, problems)
    weight_codes = totals.weight_problems([c.get("weight") for c in components],
                                          [c["weight"] for c in components if c.get("is_theory") and c.get("weight")])
    messages = {"weights_all_or_none": _("Give every component a weight, or none."),
                "weight_negative": _("A weight cannot be negative."),
                "weights_sum": _("The weights must add up to 100 %."),
                "theory_share": _("Theory may count for at most %(limit)s %% of the total (national rule).",
                                  limit=totals.THEORY_SHARE_LIMIT)}
    for code in weight_codes:
        if draft and code == "weights_sum":
            continue
        problems.add(messages[code], "weight")
    for aspect in aspects:
        _aspect_problems(aspect, problems)
    _rounding_problems(definition.get("total_rounding"), _("The total"), problems)
    _field_rule_problems(definition, component_keys, aspects, problems)
    problems.raise_any()


def _field_rule_problems(definition: dict, component_keys: list, aspects: list[dict], problems: Problems) -> None:
    ties = definition.get("tie_breaks") or []
    if len(ties) > MAX_TIE_BREAKS:
        problems.add(_("At most %(most)d tie-breaks.", most=MAX_TIE_BREAKS), "tie_breaks")
    attempt_aspects = {a.get("key") for a in aspects}
    for tie in ties:
        kind, key = tie.get("kind"), tie.get("key")
        known = {"component": key in component_keys, "aspect": key in attempt_aspects,
                 "next_best": key in attempt_aspects, "extra": bool(key)}.get(kind, False)
        if kind not in TIE_BREAK_KINDS or not known:
            problems.add(_("The tie-break “%(key)s” names nothing in this scheme.", key=key or "?"), "tie_breaks")
    award = definition.get("award") or {}
    levels = award.get("levels") or []
    if award.get("method") not in awards.METHODS:
        problems.add(_("Please choose how awards are given."), "award")
    elif award["method"] != "none" and not 1 <= len(levels) <= MAX_AWARDS:
        problems.add(_("Name between 1 and %(most)d awards.", most=MAX_AWARDS), "award")
    elif award["method"] != "none":
        limits = [level.get("limit") for level in levels]
        if any(limit is None or limit < 0 or not level.get("name") for limit, level in zip(limits, levels)):
            problems.add(_("Each award needs a name and a limit of zero or more."), "award")
        elif award["method"] == "rank" and (limits != sorted(limits) or any(limit % 1 for limit in limits)):
            problems.add(_("Award places must be whole numbers, from the best award down."), "award")
        elif award["method"] == "threshold" and limits != sorted(limits, reverse=True):
            problems.add(_("Award thresholds must fall from the best award down."), "award")
        elif award["method"] == "share" and sum(limits, Decimal(0)) > 100:
            problems.add(_("Award shares add up to at most 100 %."), "award")
    if award.get("rounding", "half_up") not in RULES:
        problems.add(_("Please choose how award counts are rounded."), "award")
    standard = definition.get("standardisation") or {}
    if standard.get("method", "none") not in standardise.METHODS:
        problems.add(_("Please choose a standardisation."), "standardisation")
    elif standard.get("method") == "zscore" and (standard.get("mean") is None or not standard.get("spread")
                                                  or standard["spread"] <= 0):
        problems.add(_("A z-score needs a target mean and a spread above zero."), "standardisation")
    if standard.get("method", "none") != "none":
        _rounding_problems(standard.get("rounding"), _("The standardisation"), problems)


def stage_unknown() -> str:
    return _("That stage is not one of this event's.")


def not_yours() -> str:
    return _("You do not manage the event of that scheme.")


# ---- storing --------------------------------------------------------------------------------------------------

def unready(definition: dict) -> list[str]:
    """What the scheme still lacks before marks can be given on it (empty: it is ready)."""
    try:
        check_definition(definition)
    except InvalidInput as error:
        return [message for _field, message in error.problems]
    return []


def create_scheme(event, name: str, definition: dict, *, stage=None, actor=None, draft: bool = False) -> MarkingScheme:
    problems = Problems()
    if not (name or "").strip():
        problems.add(_("Please name the scheme."), "name")
    if stage is not None and stage.event_id != event.id:
        problems.add(stage_unknown(), "stage_id")
    with problems.check():
        check_definition(definition, draft=draft)
    problems.raise_any()
    scheme = MarkingScheme(event_id=event.id, stage_id=stage.id if stage else None, name=name.strip())
    version = SchemeVersion(number=1, created_by_id=getattr(actor, "id", None))
    scheme.versions.append(version)
    db.session.add(scheme)
    _write(version, definition)
    db.session.flush()
    audit.record("scoring.scheme_created", scheme, actor=actor, after={"name": scheme.name, "version": 1})
    return scheme


def save_definition(scheme: MarkingScheme, definition: dict, *, name: str | None = None, actor=None,
                    draft: bool = False) -> SchemeVersion:
    """Write `definition` into the current version, or into a new one when it is frozen."""
    check_definition(definition, draft=draft)
    version = scheme.current
    if version.is_frozen:
        version = SchemeVersion(number=version.number + 1, created_by_id=getattr(actor, "id", None))
        scheme.versions.append(version)
    else:
        for component in list(version.components):
            version.components.remove(component)
        db.session.flush()
    if name and name.strip():
        scheme.name = name.strip()
    _write(version, definition)
    db.session.flush()
    audit.record("scoring.scheme_changed", scheme, actor=actor, after={"version": version.number})
    return version


def freeze(version: SchemeVersion) -> None:
    """Marks are being entered on `version`: from now on a change makes a new version."""
    if version.frozen_at is None:
        version.frozen_at = utcnow()
        audit.record("scoring.scheme_frozen", version.scheme, after={"version": version.number})


SPREAD_ACTIONS = ("remark", "third_marker")


def set_marking(scheme: MarkingScheme, *, blind: bool, spread_action: str, actor=None) -> None:
    """How judges mark on the scheme: blind or not; what a spread beyond the allowed means."""
    if spread_action not in SPREAD_ACTIONS:
        raise InvalidInput(_("Please choose what happens when judges are too far apart."), "spread_action")
    before = {"blind": scheme.blind, "spread_action": scheme.spread_action}
    after = {"blind": bool(blind), "spread_action": spread_action}
    if before != after:
        scheme.blind, scheme.spread_action = after["blind"], spread_action
        audit.record("scoring.scheme_changed", scheme, actor=actor, before=before, after=after)


def get_or_404(scheme_id: int) -> MarkingScheme:
    """A scheme that is not deleted, or 404."""
    scheme = db.session.get(MarkingScheme, scheme_id)
    if scheme is None or scheme.deleted_at is not None:
        abort(404)
    return scheme


def delete_scheme(scheme: MarkingScheme, *, actor=None) -> None:
    """Delete a scheme no mark was given on: it disappears from every page and list; the row
    stays behind for the audit log (and so its event still answers who may ask about it)."""
    if any(v.is_frozen for v in scheme.versions):
        raise InvalidInput(_("Marks were given on this scheme: it stays, for the results that used it."))
    scheme.deleted_at = utcnow()
    audit.record("scoring.scheme_deleted", scheme, actor=actor, before={"name": scheme.name})


def _write(version: SchemeVersion, definition: dict) -> None:
    total = definition.get("total_rounding") or DEFAULT_ROUNDING
    version.total_rounding, version.total_places = total["rule"], total["places"]
    version.tie_breaks = [{"kind": t["kind"], "key": t["key"], "higher_is_better": bool(t.get("higher_is_better", True))}
                          for t in definition.get("tie_breaks") or []]
    award = definition.get("award") or {}
    version.award_method = award.get("method", "none")
    version.award_levels = [{"name": level["name"], "limit": str(level["limit"])} for level in award.get("levels") or []]
    version.award_rounding = award.get("rounding", "half_up")
    standard = definition.get("standardisation") or {}
    version.standardisation = standard.get("method", "none")
    version.standard_mean, version.standard_spread = standard.get("mean"), standard.get("spread")
    version.standard_benchmark = standard.get("benchmark")
    rounding = standard.get("rounding") or DEFAULT_ROUNDING
    version.standard_rounding, version.standard_places = rounding["rule"], rounding["places"]
    for c_position, c in enumerate(definition["components"], 1):
        component = SchemeComponent(position=c_position, key=c["key"], name=c["name"], weight=c.get("weight"),
                                    scale_to=c.get("scale_to"), is_theory=bool(c.get("is_theory")),
                                    rounding=c["rounding"]["rule"], places=c["rounding"]["places"])
        version.components.append(component)
        for cr_position, cr in enumerate(c["criteria"], 1):
            criterion = SchemeCriterion(position=cr_position, name=cr["name"])
            component.criteria.append(criterion)
            for a_position, a in enumerate(cr["aspects"], 1):
                how, attempts = a.get("aggregation") or {}, a.get("attempts") or {}
                criterion.aspects.append(SchemeAspect(
                    version=version, position=a_position, key=a["key"], name=a["name"], maximum=a["maximum"],
                    kind=a["kind"], scale_min=a["scale"]["min"], scale_max=a["scale"]["max"],
                    scale_step=a["scale"].get("step"), allowed_spread=a.get("allowed_spread"), judges=a.get("judges"),
                    aggregation=how.get("method", "mean"), drop_high=how.get("drop_high") or 0,
                    drop_low=how.get("drop_low") or 0, attempts_rule=attempts.get("rule", "sum"),
                    attempts_count=attempts.get("count"), best_k=attempts.get("best_k") or 1,
                    uses_factor=bool(a.get("uses_factor")), rounding=a["rounding"]["rule"],
                    places=a["rounding"]["places"]))


# ---- reading --------------------------------------------------------------------------------------------------

def definition_of(version: SchemeVersion) -> dict:
    """The version as a definition (the shape save_definition takes)."""
    return {
        "spread_action": version.scheme.spread_action,
        "total_rounding": {"rule": version.total_rounding, "places": version.total_places},
        "tie_breaks": [dict(t) for t in version.tie_breaks or []],
        "award": {"method": version.award_method, "rounding": version.award_rounding,
                  "levels": [{"name": level["name"], "limit": Decimal(level["limit"])}
                             for level in version.award_levels or []]},
        "standardisation": {"method": version.standardisation, "mean": version.standard_mean,
                            "spread": version.standard_spread, "benchmark": version.standard_benchmark,
                            "rounding": {"rule": version.standard_rounding, "places": version.standard_places}},
        "components": [{
            "key": c.key, "name": c.name, "weight": c.weight, "scale_to": c.scale_to, "is_theory": c.is_theory,
            "rounding": {"rule": c.rounding, "places": c.places},
            "criteria": [{"name": cr.name, "aspects": [_aspect_definition(a) for a in cr.aspects]}
                         for cr in c.criteria]} for c in version.components],
    }


def _aspect_definition(a: SchemeAspect) -> dict:
    return {"key": a.key, "name": a.name, "maximum": a.maximum, "kind": a.kind,
            "scale": {"min": a.scale_min, "max": a.scale_max, "step": a.scale_step},
            "allowed_spread": a.allowed_spread, "judges": a.judges,
            "aggregation": {"method": a.aggregation, "drop_high": a.drop_high, "drop_low": a.drop_low},
            "attempts": {"rule": a.attempts_rule, "count": a.attempts_count, "best_k": a.best_k},
            "uses_factor": a.uses_factor, "rounding": {"rule": a.rounding, "places": a.places}}


def _or(value: Decimal | None, default: Decimal) -> Decimal:
    return default if value is None else value


def spec_of(definition: dict) -> SchemeSpec:
    """The arithmetic's scheme from a (checked) definition: the one path preview and results share."""
    def rounding(value: dict) -> Rounding:
        return Rounding(value["rule"], value["places"])

    third_marker = definition.get("spread_action") == "third_marker"

    def aspect(a: dict) -> AspectSpec:
        how, attempts = a["aggregation"], a["attempts"]
        rule = aspect_rules.AspectRule(
            a["kind"], aspect_rules.Scale(a["scale"]["min"], a["scale"]["max"], a["scale"].get("step")),
            aspect_rules.Aggregation(how["method"], how.get("drop_high") or 0, how.get("drop_low") or 0),
            a.get("allowed_spread"), a.get("judges"), third_marker=third_marker)
        return AspectSpec(a["key"], a["name"], a["maximum"], rule,
                          attempt_rules.AttemptRule(attempts["rule"], attempts.get("count"), attempts.get("best_k") or 1),
                          rounding(a["rounding"]), bool(a.get("uses_factor")))
    components = tuple(ComponentSpec(
        c["key"], c["name"], tuple(CriterionSpec(str(i), cr["name"], tuple(aspect(a) for a in cr["aspects"]))
                                   for i, cr in enumerate(c["criteria"], 1)),
        c.get("weight"), c.get("scale_to"), bool(c.get("is_theory")), rounding(c["rounding"]))
        for c in definition["components"])
    award = definition.get("award") or {}
    standard = definition.get("standardisation") or {}
    return SchemeSpec(
        components, rounding(definition["total_rounding"]),
        tuple(TieBreak(t["kind"], t["key"], bool(t.get("higher_is_better", True)))
              for t in definition.get("tie_breaks") or []),
        awards.AwardRule(award.get("method", "none"),
                         tuple(awards.AwardLevel(level["name"], level["limit"]) for level in award.get("levels") or []),
                         award.get("rounding", "half_up")),
        standardise.Standardisation(standard.get("method", "none"), _or(standard.get("mean"), Decimal(500)),
                                    _or(standard.get("spread"), Decimal(100)), standard.get("benchmark"),
                                    rounding(standard.get("rounding") or DEFAULT_ROUNDING)))
