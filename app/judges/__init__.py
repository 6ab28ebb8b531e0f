"""The judge and expert pool (裁判员/专家库): profiles, levels, trades, qualifications with a
derived validity, availability and declared conflicts; seeded, reproducible draws and the
panels they seat. Judges sit below competitions: events are named by id only."""
from flask import Blueprint

bp = Blueprint("judges", __name__, template_folder="templates")

from app.judges import models  # noqa: E402,F401  (tables for migrations)
from app.judges import routes, routes_excel, routes_lists, routes_portal, routes_records  # noqa: E402,F401
from app.judges import routes_panels, routes_panel_draws, routes_panel_mine  # noqa: E402,F401  (panels, draws)
from app.judges.labels import template_helpers  # noqa: E402

bp.app_context_processor(template_helpers)
