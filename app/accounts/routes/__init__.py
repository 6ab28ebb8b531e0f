"""HTML pages of accounts: auth.py (sign-in, passwords, own account), people.py (staff and
liaisons manage people), admin.py (system admins manage logins and grants)."""
