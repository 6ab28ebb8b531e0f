"""The forms of the trainings pages.

Contents:
    results.py       assessments, reopening a class, a trainee's evaluation
"""
