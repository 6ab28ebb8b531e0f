"""HTML pages of trainings, one module per person who uses them.

Contents:
    results.py       organisers: assessments, marks (page and Excel), the rule applied, closing, reopening
    figures.py       the year's figures, a unit's trainees (liaison), a trainee's results and evaluation
"""
from app.trainings.routes import figures, results  # noqa: F401  (pages attach to bp)
