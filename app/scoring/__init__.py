"""Scoring and results (评分与成绩): marking schemes and their versions, the arithmetic, and the
rehearsal (预演) of a scheme with pasted marks. Scoring sits above competitions and judges: it
reads events (and later panels and entries); they never import it.

Contents:
    hooks.py         what it adds to shared pages: the menu entry, audit words
    labels.py        the words for a scheme's codes, for the pages
    models.py        marking schemes, versions, components → criteria → aspects; score sheets,
                     marks, their change history, spread flags, third markers, corrections
    result_models.py published results: snapshots (v1, v2 …), scheduled publications, advancements
    arithmetic/      the pure arithmetic (only `decimal`): aspects, attempts, totals, ranks …
    services/        the rules: schemes (check, store, version, freeze), preview
    routes/          HTML pages: schemes of an event, building one, the rehearsal; sheets, progress,
                     corrections and third markers
    forms/           the forms of those pages
    cli.py           `flask results verify [EVENT]`
    api.py           /api/v1: schemes and the preview
    api_marks.py     /api/v1: a judge's sheets and marks, submission, progress, the chief's lock
    api_results.py   /api/v1: live results, snapshots (list, one, publish), scheduling, advancement
    api_corrections.py /api/v1: corrections after the lock, third markers
    api_exports.py   /api/v1: results as Excel, the ranking and the judges' score sheets as PDF
    templates/       templates/scoring/: the pages
"""
from flask import Blueprint

bp = Blueprint("scoring", __name__, template_folder="templates")

from app.scoring.labels import LABELS  # noqa: E402

bp.context_processor(lambda: LABELS)

from app.scoring import models, result_models  # noqa: E402,F401  (tables for migrations)
from app.scoring.routes import corrections, exports, public, results, schemes, sheets  # noqa: E402,F401  (pages attach)
