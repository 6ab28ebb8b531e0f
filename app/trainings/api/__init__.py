"""/api/v1/trainings/…: classes and enrolments (and, as they come, sessions, attendance,
assessments and completions).

Contents:
    results.py       assessments, marks and completions of a class
"""
