"""Scoring's test helpers: a diving scheme, the World Aquatics data as pasted marks."""
from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
ROUNDING = {"rule": "half_up", "places": 2}


def diving_definition() -> dict:
    """7 judges, 0–10 in half points, drop the 2 highest and 2 lowest, sum × DD, every dive counts."""
    dives = {"key": "dives", "name": "跳水", "maximum": Decimal(1000), "kind": "judgement",
             "scale": {"min": Decimal(0), "max": Decimal(10), "step": Decimal("0.5")}, "allowed_spread": None,
             "judges": 7, "aggregation": {"method": "trimmed_sum", "drop_high": 2, "drop_low": 2},
             "attempts": {"rule": "sum", "count": None, "best_k": 1}, "uses_factor": True, "rounding": ROUNDING}
    return {"total_rounding": ROUNDING, "tie_breaks": [],  # World Aquatics shares a tied place
            "award": {"method": "rank", "levels": [{"name": "gold", "limit": Decimal(1)},
                                                   {"name": "silver", "limit": Decimal(2)},
                                                   {"name": "bronze", "limit": Decimal(3)}], "rounding": "half_up"},
            "standardisation": {"method": "none", "mean": None, "spread": None, "benchmark": None,
                                "rounding": ROUNDING},
            "components": [{"key": "diving", "name": "跳水", "weight": None, "scale_to": None, "is_theory": False,
                            "rounding": ROUNDING, "criteria": [{"name": "全部动作", "aspects": [dives]}]}]}


def diving_events() -> dict[tuple[str, str], dict]:
    """Each (discipline, phase): its pasted marks, each dive's official points, each diver's total and rank."""
    events: dict[tuple[str, str], dict] = defaultdict(lambda: {"lines": ["contestant,aspect,attempt,factor,J1,J2,J3,"
                                                                         "J4,J5,J6,J7"], "dives": {}, "totals": {}})
    with open(DATA / "diving_world_aquatics_gp_rostock_2024_individual.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            event = events[(row["discipline"], row["phase"])]
            judges = ",".join(row[f"J{n}"] for n in range(1, 8))
            event["lines"].append(f"{row['athlete']},dives,{row['dive_order']},{row['dd']},{judges}")
            event["dives"][(row["athlete"], int(row["dive_order"]))] = Decimal(row["official_dive_points"])
    with open(DATA / "diving_world_aquatics_gp_rostock_2024_totals.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            events[(row["discipline"], row["phase"])]["totals"][row["athlete"]] = (
                Decimal(row["official_total"]), int(row["rank"]))
    return dict(events)
