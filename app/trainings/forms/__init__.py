"""The forms of the trainings pages.

Contents:
    results.py       assessments, reopening a class, a trainee's evaluation
    classes.py       the plan of a class, quotas, organisers, copying, enrolling, withdrawing, the year's target
"""
