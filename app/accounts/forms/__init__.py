"""Forms of accounts, one module per area (mirroring routes/).

Contents:
    auth.py          signing in and up, passwords, API tokens, the confirm-only button
    people.py        a person's record, revealing a full ID number
    admin.py         giving a role (grants)
"""
