"""The forms of the trainings pages.

Contents:
    results.py       assessments, reopening a class, a trainee's evaluation
    classes.py       the plan of a class, quotas, organisers, copying, enrolling, withdrawing, the year's target
    curriculum.py    a course session, an instructor of the pool, a material
    attendance.py    marking a trainee present by hand, taking it back
"""
