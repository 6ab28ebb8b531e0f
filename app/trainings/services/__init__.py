"""The rules of training classes.

Contents:
    access.py        where a class sits in the permission scopes; who organises it
    assessments.py   assessments of a class and the trainees' marks in them
    marks_sheet.py   assessment marks from Excel, all or nothing
    completion.py    the completion rule applied, closing (frozen records, qualifications) and reopening
    evaluations.py   trainees' evaluations and their anonymous summary
    dashboards.py    figures per class, per year, per unit and per trainee
    capacity.py      a class's places, quotas and waiting list: columns for app.core.seats
    enrolment.py     enrolling and withdrawing, the waiting list in order, eligibility
    enrol_sheet.py   a unit's people enrolled from an Excel list, all or nothing
    plans.py         the plan of a class: create, change, publish, start, copy; unit quotas
    programme.py     the year's programme: classes, figures, calendar, Excel export, target
    curriculum.py    course sessions, booking their room and instructors through scheduling
    instructors.py   the instructor pool (师资) and each one's teaching history
    materials.py     course materials: kinds and size limits, who may read them
    checkin.py       rotating-QR attendance: the screen's tokens, a trainee's scan, marks by hand, a session's roll
    attendance.py    hours attended per trainee (what the completion rule weighs)
"""
