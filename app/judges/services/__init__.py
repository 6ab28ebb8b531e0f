"""The judge pool's rules, one module per concern.

Contents:
    pool.py          profiles and the pool list, who may change the pool
    records.py       qualifications, availability and declared conflicts
    levels.py        the judge levels and trades
    excel_io.py      the Excel import of the pool
    export.py        the Excel export of the pool
    facts.py         what the panels learn about an event, from the package that owns events
    panels.py        panels: set-up and the rules they draw under
    draws.py         running a panel's draw and checking it later
    snapshot.py      a draw's snapshot: the panel's constraints, the judges as candidates (busy by dates or interval)
    seats.py         who sits on a drawn panel: by hand, removed, answers, replacements
    dashboard.py     the load per judge and unit, and the panels short of judges
    relations.py     who stands in a panel's relations (a member, the chief judge, a seat of their own)
    judge_bookings.py  a seated judge's time booked in scheduling while the panel has a session
    panel_sessions.py  panels onto sessions: the interval, kept in step by competitions
    training_grants.py  qualifications granted or renewed by completing a referee-training class
"""
