"""Forms of the judge pool, one module per area (mirroring routes/).

Contents:
    pool.py          a judge's place in the pool, adding one, taking one out, the pool's filters
    records.py       a certificate, available dates, a declared conflict
    lists.py         judge levels and trades
    panels.py        a panel, its draw, seating and removing, an invitation's answer, a period
"""
