"""Scoring's rules, one module per concern.

Contents:
    schemes.py       a scheme's definition checked whole, stored, versioned, frozen; its SchemeSpec
    preview.py       marks pasted or uploaded, run through the results arithmetic (nothing stored)
    marks.py         score entry: who sees what, sheets, marks (client ids), submit, spread, progress, lock
"""
