"""HTML pages of trainings, one module per person who uses them.

Contents:
    curriculum.py   organisers: a class's course sessions (add, change, delete), trainees' hours; the instructor pool
    attendance.py   the room's screen with the rotating QR code, a trainee's check-in by its link, a session's roll
    materials.py    a class's materials: list, upload, delete, download (trainees holding a place, organisers)
    results.py      organisers: assessments, marks (page and Excel), the rule applied, closing, reopening
    figures.py      the year's figures, a unit's trainees (liaison), a trainee's results and evaluation
"""
from app.trainings.routes import attendance, curriculum, figures, materials, results  # noqa: F401  (pages attach)
