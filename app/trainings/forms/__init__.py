"""The forms of the trainings pages.

Contents:
    curriculum.py   a course session, an instructor of the pool, a material
    attendance.py   marking a trainee present by hand, taking it back
"""
