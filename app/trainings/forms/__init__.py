"""The forms of the trainings pages.

Contents:
    classes.py       the plan of a class, quotas, organisers, copying, enrolling, withdrawing, the year's target
"""
