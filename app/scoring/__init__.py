"""Scoring and results (评分与成绩): marking schemes, their versions, the arithmetic, and the
rehearsal (preview) of a scheme with pasted marks. Scoring sits above competitions and judges:
it reads events and (later) panels; they never import it.

Contents:
    arithmetic/      the pure arithmetic (only `decimal`): aspects, attempts, totals, ranks …
"""
