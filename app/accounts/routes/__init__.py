"""HTML pages of accounts.

Contents:
    auth.py          signing in and up, passwords, one's own account and tokens
    people.py        staff and liaisons manage people
    admin.py         system admins manage logins and grants
"""
