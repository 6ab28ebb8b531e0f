"""Forms of competitions, one module per area (mirroring routes/).

Contents:
    setup.py         staff: competitions, events, unit quotas
    staff.py         staff: filtering entries, bulk decisions, Excel entry of a unit's people
    unit.py          liaisons: endorsing, rejecting, entering one person, confirming a file
    registration.py  contestants: entering an event, withdrawing
    checkin.py       the door check-in box
    timetables.py    contestants and judges: a new calendar-feed address
    station_draw.py  staff: running the station draw, moving or swapping a seat
    sessions.py      staff: a session's fields, its panel
"""
