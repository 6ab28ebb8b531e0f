"""HTML pages of competitions, one module per person who uses them.

Contents:
    public.py        anyone: competitions, events, seats
    setup.py         staff: competitions, events, quotas
    mine.py          contestants: registering, my entries
    staff.py         staff: entries, bulk decisions, exports
    unit.py          liaisons: the unit portal, Excel bulk registration
    tickets.py       admission tickets
    checkin.py       door check-in
    timetables.py    timetables: competition, event, room, mine (pages and PDF), the calendar feed
    seating.py       staff: the station draw (抽签), its record, moving and swapping seats
    sessions.py      staff: an event's sessions (场次), and the panel judging each
"""
