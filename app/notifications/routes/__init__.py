"""HTML pages of notifications.

Contents:
    inbox.py         a person's inbox, opening and marking messages read, their e-mail preferences
    outbox.py        staff: undelivered e-mail (dead letters), sent again one by one
"""
