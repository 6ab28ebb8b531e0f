"""The rules of accounts.

Contents:
    people.py        creating and changing people, their ID documents, who may see whom
    auth.py          sign-up, sign-in, passwords, reset and invitation links
    tokens.py        personal API tokens
    sign_in_limits.py  how long an account waits after failed sign-ins
    grants.py        giving and taking roles
    unit_members.py  what a member unit's page shows of its people (a provider for orgs)
    notification_recipients.py  a user's e-mail and language (a provider for notifications)
"""
