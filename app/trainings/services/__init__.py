"""The rules of training classes.

Contents:
    access.py        where a class sits in the permission scopes; who organises it
    capacity.py      the class's seats, unit quotas and waiting list (over app.core.seats)
    plans.py         the plan of a class: create, change, publish, copy, unit quotas
    enrolment.py     enrolling, withdrawing, the waiting list promoting in order
    enrol_sheet.py   a unit's people enrolled from an Excel file, all or nothing
    programme.py     the year's programme, its calendar and export, the year's target
    assessments.py   assessments of a class and the trainees' marks in them
    marks_sheet.py   assessment marks from Excel, all or nothing
    completion.py    the completion rule applied, closing (frozen records, qualifications) and reopening
    evaluations.py   trainees' evaluations and their anonymous summary
    dashboards.py    figures per class, per year, per unit and per trainee
    hours_standin.py hours per trainee until the attendance service lands (replace at merge)
"""
