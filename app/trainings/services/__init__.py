"""The rules of training classes.

Contents:
    access.py        where a class sits in the permission scopes; who organises it
    assessments.py   assessments of a class and the trainees' marks in them
    marks_sheet.py   assessment marks from Excel, all or nothing
    completion.py    the completion rule applied, closing (frozen records, qualifications) and reopening
    evaluations.py   trainees' evaluations and their anonymous summary
    dashboards.py    figures per class, per year, per unit and per trainee
    hours_standin.py hours per trainee until the attendance service lands (replace at merge)
    capacity.py      a class's places, quotas and waiting list: columns for app.core.seats
    enrolment.py     enrolling and withdrawing, the waiting list in order, eligibility
    enrol_sheet.py   a unit's people enrolled from an Excel list, all or nothing
    plans.py         the plan of a class: create, change, publish, start, copy; unit quotas
    programme.py     the year's programme: classes, figures, calendar, Excel export, target
"""
