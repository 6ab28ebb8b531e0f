"""The forms of the trainings pages.

Contents:
    (nothing yet)
"""
