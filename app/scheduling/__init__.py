"""Places and time (场馆与时间): venues → rooms → stations (工位), and bookings of rooms,
stations and people over time with clashes refused. Scheduling knows nothing of events or
classes: competitions and trainings book through it with an opaque owner reference.

Contents:
    hooks.py         what it adds to shared pages: its permission, the Venues menu entry
    demo.py          the demo venue, rooms and stations for `flask seed-demo`
    models.py        venues, rooms, stations, bookings
    clashes.py       the clash rule, pure: half-open intervals, which overlap
    routes/          HTML pages: venues, rooms, stations, a room's day, bookings by hand
    forms/           the forms of those pages
    services/        the rules: places, bookings (with the lock order)
    api.py           /api/v1: venues, rooms, stations, bookings
    templates/       templates/scheduling/: the pages
"""
from flask import Blueprint

bp = Blueprint("scheduling", __name__, template_folder="templates")

from app.scheduling import models  # noqa: E402,F401  (tables for migrations)
from app.scheduling.routes import bookings, places  # noqa: E402,F401  (pages attach to bp)
