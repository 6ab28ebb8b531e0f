"""HTML pages of trainings, one module per person who uses them.

Contents:
    (nothing yet)
"""
