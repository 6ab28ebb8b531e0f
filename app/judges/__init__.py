"""The judge and expert pool (裁判员/专家库): profiles, levels, trades, qualifications with a
derived validity, availability and declared conflicts; seeded, reproducible draws and the
panels they seat. Judges sit below competitions: events are named by id only.

Contents:
    hooks.py         what it adds to shared pages: permissions, menu entries, sections, providers,
                     its kinds of notification
    models.py        the pool's tables: profiles, levels, trades, records, panels, draws
    routes/          HTML pages: the pool, a judge's records, lists, Excel, portal, panels
    forms/           the forms of those pages
    services/        the rules: pool, records, levels, Excel, panels, draws, seats
    api/             /api/v1: the pool and the panels
    templates/       templates/judges/: the pages
    draw.py          the draw itself, pure: seed, constraints and candidates in, seats out
    draw_caps.py     the unit and region caps of a panel, pure (a maximum flow)
    draw_record.py   a draw's record in lossless JSON, for verifying it later
    validity.py      a certificate's state on a given day, pure
    labels.py        what people read for the pool's codes
    cli.py           `flask judges …` (verify-draw)
    demo.py          the demo pool for `flask seed-demo`
    audit_types.py   how its objects and actions read in the audit log
"""
from flask import Blueprint

bp = Blueprint("judges", __name__, template_folder="templates")

from app.judges import models  # noqa: E402,F401  (tables for migrations)
from app.judges.routes import excel, lists, pool, portal, records  # noqa: E402,F401  (pages attach to bp)
from app.judges.routes import panel_draws, panel_mine, panels  # noqa: E402,F401  (panels, draws)
from app.judges.labels import template_helpers  # noqa: E402

bp.app_context_processor(template_helpers)
