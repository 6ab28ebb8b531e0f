"""Training classes (培训班): the plan of a class (一班一方案), its curriculum of course
sessions with instructors and materials, enrolment with capacity, unit quotas and an ordered
waiting list, rotating-QR attendance, assessments, the completion rule, closing, evaluations,
referee training that grants judge qualifications, and the year's programme.

Contents:
    hooks.py         what it adds to shared pages: permissions, menu entries, relations
    audit_types.py   how classes, enrolments and their actions read in the audit log
    models.py        the class and its plan, quotas, the year's targets, enrolments, assessments,
                     marks, completion records, evaluations (and re-exports course_models)
    course_models.py instructors (师资), course sessions, their instructors, materials, attendance
    completion_rule.py  the completion rule (attendance share, weighted assessment result): pure, Decimal
    routes/          HTML pages, one module per person who uses them
    forms/           the forms of those pages
    services/        the rules: access, capacity, plans, enrolment …
    api/             /api/v1/trainings/…
    templates/       templates/trainings/: the pages
"""
from flask import Blueprint

bp = Blueprint("trainings", __name__, template_folder="templates")

from app.trainings import models  # noqa: E402,F401  (tables for migrations)
from app.trainings import routes  # noqa: E402,F401  (pages attach to bp)
