"""Accounts services: people (people.py), logins and passwords (auth.py), API tokens (tokens.py)."""
