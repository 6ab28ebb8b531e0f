"""The rules of competitions, one module per concern.

Contents:
    events.py        setting up competitions and events: fields, windows, capacity, quotas
    capacity.py      the seat, quota, waiting-list and exam-number counters
    registration.py  entering an event, and every change of an entry's state
    teams.py         team entries
    decisions.py     staff decisions on many entries at once
    bulk.py          a unit's people entered from an Excel file, all or nothing
    bulk_sheet.py    the layout of that Excel file
    listing.py       the filtered, paginated lists of entries
    exports.py       the staff's Excel list, counts, waiting-list places, quota figures
    tickets.py       admission tickets: the signed token and the PDF
    checkin.py       door check-in: per entry, or at a session's door (场次检录)
    attendance.py    who is in and who is missing at a session's door; the door's list of sessions
    seats.py         contestants' seats in sessions: booked, moved, swapped, given late, let go
    station_draws.py running the station draw (抽签) and verifying its record
    access.py        where competition objects sit in the permission scopes
    judging.py       what the judges' panels are told about an event (a facts provider)
    timetables.py    timetables of a competition, event, room and person, in a fixed number of queries
    timetable_documents.py  those timetables as printable PDFs
    calendar_feeds.py  a person's iCalendar feed at a secret, revocable address
    sessions.py      sessions (场次): room and stations booked in scheduling, their panels' interval
"""
