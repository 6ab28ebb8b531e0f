"""HTML pages of scoring.

Contents:
    schemes.py       staff: an event's schemes, building one (settings, components, aspects), the rehearsal
    sheets.py        judges: their sheets, the tablet page; the chief judge: progress matrix, lock
    corrections.py   after the lock: corrections (ask, approve, refuse; staff's list), the third marker
"""
