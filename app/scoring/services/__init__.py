"""Scoring's rules, one module per concern.

Contents:
    schemes.py       a scheme's definition checked whole, stored, versioned, frozen; its SchemeSpec
    preview.py       marks pasted or uploaded, run through the results arithmetic (nothing stored)
    visibility.py    who sees what on a sheet: a panel's contestants, the withheld unit, conflicts, blind
    standings.py     live results from the stored marks (one SELECT), their canonical inputs and hash
    publication.py   publishing: blockers, snapshot v1, v2 … (a reason), the diff, what the public sees
    scheduled.py     scheduled publication and the scheduler job's run (once each)
    verify.py        every snapshot recomputed from the raw marks (`flask results verify`)
    advancement.py   the top N or share of a published result entered in the next stage's event
    marks.py         score entry: sheets, marks (client ids), submit
    spread.py        a cell's marks: how many it needs (aspect.judges), the spread check and its flags
    exports.py       results as files: what every export reads (live or published), the Excel workbook
    export_pdf.py    the ranking and each judge's score sheet as PDF, with signature lines
    chief.py         the chief judge: a panel's progress matrix, locking a sheet or an aspect
    third_markers.py the chief judge asks a third marker for a flagged cell
    corrections.py   after the lock: a correction asked for, approved by chief judge and staff, or refused
"""
