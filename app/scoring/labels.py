"""The words a person reads for a scheme's codes (kinds, aggregations, rounding, tie-breaks …):
the pages never show a code where a person expects words."""
from __future__ import annotations

from flask_babel import gettext as _


def kind_label(kind: str) -> str:
    return {"judgement": _("judgement"), "measurement": _("measurement"), "deduction": _("deduction")}.get(kind, kind)


def rounding_label(rounding: dict) -> str:
    rules = {"half_up": _("half up"), "half_even": _("half to even"), "half_down": _("half down"),
             "down": _("cut off"), "up": _("away from zero"), "floor": _("down"), "ceiling": _("up")}
    return _("%(rule)s to %(places)d places", rule=rules.get(rounding["rule"], rounding["rule"]),
             places=rounding["places"])


def aggregation_label(aspect: dict) -> str:
    how = aspect["aggregation"]
    judges = _("%(n)d judges", n=aspect["judges"]) if aspect.get("judges") else _("any number of judges")
    if how["method"].startswith("trimmed"):
        word = _("trimmed mean") if how["method"] == "trimmed_mean" else _("trimmed sum")
        return _("%(judges)s, %(word)s: drop %(high)d highest and %(low)d lowest", judges=judges, word=word,
                 high=how["drop_high"], low=how["drop_low"])
    words = {"mean": _("mean"), "median": _("median"), "sum": _("sum")}
    return f"{judges}, {words.get(how['method'], how['method'])}"


def attempts_label(aspect: dict) -> str:
    attempts = aspect["attempts"]
    count = _("%(n)d attempts", n=attempts["count"]) if attempts.get("count") else _("any number of attempts")
    words = {"sum": _("sum of all"), "best": _("the best"), "last": _("the last"),
             "best_k": _("sum of the best %(k)d", k=attempts.get("best_k") or 1)}
    factor = _(", × factor") if aspect.get("uses_factor") else ""
    return f"{count}: {words.get(attempts['rule'], attempts['rule'])}{factor}"


def tie_break_label(tie: dict) -> str:
    kinds = {"component": _("component %(key)s"), "aspect": _("aspect %(key)s"),
             "next_best": _("next-best attempt of %(key)s"), "extra": _("figure %(key)s")}
    what = kinds.get(tie["kind"], "%(key)s") % {"key": tie["key"]}
    return f"{what} ({_('higher first') if tie['higher_is_better'] else _('lower first')})"


def decided_label(code: str | None) -> str:
    """What set a contestant apart from the one above: the total, or which tie-break."""
    if not code:
        return "—"
    if code == "total":
        return _("the total")
    kind, _sep, key = code.partition(":")
    kinds = {"component": _("component %(key)s"), "aspect": _("aspect %(key)s"),
             "next_best": _("next-best attempt of %(key)s"), "extra": _("figure %(key)s")}
    return kinds.get(kind, "%(key)s") % {"key": key}


def award_label(award: dict) -> str:
    if award["method"] == "none" or not award["levels"]:
        return _("none")
    if award["method"] == "rank":
        parts = [_("%(name)s to place %(n)s", name=level["name"], n=level["limit"]) for level in award["levels"]]
    elif award["method"] == "share":
        parts = [_("%(name)s %(n)s %%", name=level["name"], n=level["limit"]) for level in award["levels"]]
    else:
        parts = [_("%(name)s from %(n)s", name=level["name"], n=level["limit"]) for level in award["levels"]]
    return "; ".join(parts)


def standardisation_label(standard: dict) -> str:
    if standard["method"] == "zscore":
        return _("z-score: mean %(mean)s, spread %(spread)s", mean=standard["mean"], spread=standard["spread"])
    if standard["method"] == "ws700":
        return _("700 scale: 700 + 20 × (total − benchmark) ÷ standard deviation")
    return _("none")


def flag_label(flag: str) -> str:
    code, _sep, key = flag.partition(":")
    words = {"spread": _("judges too far apart on %(key)s"), "disagree": _("the two measurements of %(key)s differ"),
             "missing": _("no marks for %(key)s"),
             "third_marker": _("%(key)s: a third marker's mark; the two closest marks kept")}
    return words.get(code, "%(key)s") % {"key": key}


def publication_state_label(state: str) -> str:
    words = {"pending": _("waiting"), "published": _("published"), "cancelled": _("cancelled"),
             "failed": _("could not be published")}
    return words.get(state, state)


LABELS = {"kind_label": kind_label, "rounding_label": rounding_label, "aggregation_label": aggregation_label,
          "attempts_label": attempts_label, "tie_break_label": tie_break_label, "award_label": award_label, "decided_label": decided_label,
          "standardisation_label": standardisation_label, "flag_label": flag_label,
          "publication_state_label": publication_state_label}
