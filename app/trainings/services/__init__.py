"""The rules of training classes.

Contents:
    access.py        where a class sits in the permission scopes; who organises it
    capacity.py      the class's seat, quota and waiting-list counters (over app.core.seats)
    plans.py         the plan of a class: create, change, publish, copy; unit quotas
    enrolment.py     enrolling, withdrawing, the waiting list promoting in order; the roll
    enrol_sheet.py   enrolling a unit's people from an Excel sheet
    programme.py     the year's programme, its targets, calendar and export
    curriculum.py    course sessions, booking their room and instructors through scheduling
    instructors.py   the instructor pool (师资) and each one's teaching history
    materials.py     course materials: kinds and size limits, who may read them
    checkin.py       rotating-QR attendance: the screen's tokens, a trainee's scan, marks by hand, a session's roll
    attendance.py    hours attended per trainee (what the completion rule weighs)
"""
