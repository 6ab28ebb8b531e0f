"""The arithmetic of results, pure: no Flask, no database session, no clock — only `decimal`,
so it can be tested with hypothesis, recomputed years later, and reused by a trainings
assessment without breaking the dependency order.

Contents:
    rounding.py      rounding rules and places, one per step, named in the scheme
    aspects.py       an aspect's marks: scale checks, spread and agreement flags, aggregations
    attempts.py      several attempts: performance factor, best / best K / sum / last, next best
    totals.py        components, weights, the weighted total; the national theory ≤ 30 % preset
    standardise.py   none, z-score, the 700-point scale (its exact formula)
    ranks.py         places with shared places and the ordered tie-break list
    awards.py        awards by rank, share or threshold; advancement (top N, top share)
    results.py       the whole field from a scheme and its marks: every figure
"""
