"""The rules of jobs.

Contents:
    runs.py          running a job and recording the run; run-now requests; what the page shows
    recipients.py    who a job writes to (a person, a competition's staff), in their language
    reminders.py     session reminders to contestants and judges, 24 h and 1 h before
    windows.py       registration opening and closing notices to the competition's staff
    qualifications.py  expiring judge certificates, 90 and 30 days before, to judges and staff
    integrity.py     the nightly recount of registration counters, reported, never corrected
"""
