"""Competitions (竞赛): competitions, events (赛项), stages, teams and registration with
capacity, unit quotas and an ordered waiting list; exam numbers, admission tickets and
door check-in; sessions (场次) and the station draw (抽签) that seats contestants in them.
Scoring arrives with its issue.

Contents:
    hooks.py         what it adds to shared pages: permissions, menu entries, sections, providers,
                     its kinds of notification
    models.py        competitions, events, stages, teams, registrations
    routes/          HTML pages, one module per person who uses them
    forms/           the forms of those pages
    services/        the rules: events, registration, capacity, teams, bulk entry, tickets …
    api/             /api/v1/competitions, /events, /registrations (registrations.py) and /checkins (checkin.py)
    templates/       templates/competitions/: the pages
    station_draw.py  the station draw (抽签): sessions and stations for the entries, pure
    station_draw_record.py  the station draw's record as JSON, losslessly (what verify-draw recomputes from)
    cli.py           `flask schedule verify-draw`
    exam_numbers.py  exam numbers from a pattern, pure
    demo.py          demo competitions for `flask seed-demo`
    audit_types.py   how its objects and actions read in the audit log
"""
from flask import Blueprint

bp = Blueprint("competitions", __name__, template_folder="templates")

from app.competitions import models, routes  # noqa: E402,F401  (tables for migrations; pages on bp)
from app.competitions.routes import mine, public, setup  # noqa: E402,F401  (contestant, public and set-up pages)
from app.competitions.routes import staff, unit  # noqa: E402,F401
from app.competitions.routes import tickets, checkin, timetables, seating  # noqa: E402,F401
from app.competitions.routes import sessions  # noqa: E402,F401  (an event's sessions, 场次)
