"""HTML pages of trainings, one module per person who uses them.

Contents:
    trainee.py       trainees (phone first): published classes, a class's plan, enrolling, my classes
    plans.py         organisers: the classes they manage, a class's plan, publishing, copying, quotas, organisers
    roll.py          organisers: who is enrolled and who waits, enrolling by ID number, withdrawing
    unit.py          liaisons: the unit's people in a class, one by one or by an Excel list
    programme.py     the year's programme: classes, places, trainees against the target, calendar, export
"""
from app.trainings.routes import plans, programme, roll, trainee, unit  # noqa: F401  (pages attach to bp)
