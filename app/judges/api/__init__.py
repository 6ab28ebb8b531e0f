"""/api/v1 of the judge pool: each module has its own flask-smorest Blueprint (`blp`), bound
by app.api.

Contents:
    pool.py          /judges, a judge's records, /judge-levels, /specialities, /me/judge
    panels.py        panels, draws and seats; /me/assignments
"""
