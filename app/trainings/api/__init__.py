"""/api/v1/trainings/…: classes and enrolments (and, as they come, sessions, attendance,
assessments and completions). Each module has its own flask-smorest Blueprint (`blp`), bound by app.api.

Contents:
    sessions.py     /trainings/classes/<id>/sessions, /trainings/sessions/<id>: course sessions; /classes/<id>/hours
    attendance.py   /trainings/sessions/<id>/check-ins (a trainee, by the QR code's token), …/attendance (the roll,
                    marks by hand)
    results.py       assessments, marks and completions of a class
    classes.py       /trainings/classes (read, plan) and their enrolments, /trainings/enrolments (read, withdraw)
"""
