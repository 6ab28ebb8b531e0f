"""/api/v1 of competitions: each module has its own flask-smorest Blueprint (`blp`), bound
by app.api.

Contents:
    registrations.py  /competitions, /events, entering an event, /registrations and every decision on an entry
    checkin.py        /checkins: door check-in (检录) by ticket code or exam number
    sessions.py       /events/<id>/sessions and /sessions/<id>: sessions (场次), their room, stations and panel
"""
