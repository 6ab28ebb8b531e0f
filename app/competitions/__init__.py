"""Competitions (竞赛): competitions, events (赛项), stages, teams and registration with
capacity, unit quotas and an ordered waiting list; exam numbers, admission tickets and
door check-in. Scheduling and scoring arrive with their issues."""
from flask import Blueprint

bp = Blueprint("competitions", __name__, template_folder="templates")

from app.competitions import models, routes  # noqa: E402,F401  (tables for migrations; pages on bp)
from app.competitions.routes import mine, public, setup  # noqa: E402,F401  (contestant, public and set-up pages)
from app.competitions.routes import staff, unit  # noqa: E402,F401
from app.competitions.routes import tickets, checkin  # noqa: E402,F401
