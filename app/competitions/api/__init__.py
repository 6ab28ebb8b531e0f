"""/api/v1 of competitions: each module has its own flask-smorest Blueprint (`blp`), bound
by app.api.

Contents:
    registrations.py  /competitions, /events, entering an event, /registrations and every decision on an entry
    checkin.py        /checkins, /sessions/<id>/checkins: door check-in (检录) by ticket code or exam number;
                      /sessions/<id>/attendance: who is in, who is missing
    timetables.py     /competitions/<id>/timetable and /me/timetable: sessions by day, and one's own
    station_draws.py  /events/<id>/station-draws, /station-draws/<id>: the station draw (抽签)
    sessions.py       /events/<id>/sessions and /sessions/<id>: sessions (场次), their room, stations and panel
"""
