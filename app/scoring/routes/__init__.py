"""HTML pages of scoring.

Contents:
    schemes.py       staff: an event's schemes, building one (settings, components, aspects), the rehearsal
    results.py       staff: live results, publishing, scheduling, the versions and their diff, advancement
    public.py        anyone: the published results, the current version and the older ones
    exports.py       downloads: results as Excel, the ranking and the judges' score sheets as PDF
    sheets.py        judges: their sheets, the tablet page; the chief judge: progress matrix, lock
    corrections.py   after the lock: corrections (ask, approve, refuse; staff's list), the third marker
"""
