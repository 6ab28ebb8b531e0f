"""HTML pages of scoring.

Contents:
    schemes.py       staff: an event's schemes, building one (settings, components, aspects), the rehearsal
    exports.py       downloads: results as Excel, the ranking and the judges' score sheets as PDF
    sheets.py        judges: their sheets, the tablet page; the chief judge: progress matrix, lock
"""
