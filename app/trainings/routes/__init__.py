"""HTML pages of trainings, one module per person who uses them.

Contents:
    curriculum.py organisers: a class's course sessions (add, change, delete), trainees' hours; the instructor pool
    attendance.py the room's screen with the rotating QR code, a trainee's check-in by its link, a session's roll
    materials.py  a class's materials: list, upload, delete, download (trainees holding a place, organisers)
    results.py    organisers: assessments, marks (page and Excel), the rule applied, closing, reopening
    figures.py    the year's figures, a unit's trainees (liaison), a trainee's results and evaluation
    trainee.py    trainees (phone first): published classes, a class's plan, enrolling, my classes
    plans.py      organisers: the classes they manage, a class's plan, publishing, copying, quotas, organisers
    roll.py       organisers: who is enrolled and who waits, enrolling by ID number, withdrawing
    unit.py       liaisons: the unit's people in a class, one by one or by an Excel list
    programme.py  the year's programme: classes, places, trainees against the target, calendar, export
"""
from app.trainings.routes import (attendance, curriculum, figures, materials, plans, programme,  # noqa: F401
                                  results, roll, trainee, unit)  # (pages attach to bp)
