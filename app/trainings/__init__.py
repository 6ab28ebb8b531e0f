"""Training classes (培训班): plans, courses, enrolment, QR attendance, assessment and
completion. Built by the trainings issue; the package exists now so the layout of
../shared/DESIGN.md holds from the first day.

Contents:
    (nothing yet)
"""
