"""/api/v1/trainings/…: classes and enrolments (and, as they come, sessions, attendance,
assessments and completions).

Contents:
    classes.py       /trainings/classes (read, plan) and their enrolments, /trainings/enrolments (read, withdraw)
"""
