"""Forms of the jobs page.

Contents:
    run.py           run a job now
"""
