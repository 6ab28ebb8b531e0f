"""Forms of notifications.

Contents:
    inbox.py         the preferences form, the button-only form for marking read and retrying
"""
