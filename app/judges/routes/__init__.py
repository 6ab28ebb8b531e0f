"""HTML pages of the judge pool, one module per area.

Contents:
    pool.py          staff: the pool list, the dashboard, one judge, adding and changing one
    records.py       staff: a judge's certificates, available dates and declared conflicts
    lists.py         staff: the judge levels and trades
    excel.py         staff: the Excel template, import and export of the pool
    portal.py        the judge: their own profile, dates and conflicts
    panels.py        staff: panels, seating and removing judges, reserves
    panel_draws.py   staff: running a panel's draw, its record, verifying it
    panel_mine.py    the judge's seats and invitations; the staff's load dashboard
"""
