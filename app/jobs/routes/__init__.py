"""HTML pages of jobs.

Contents:
    pages.py         staff: the jobs page (next and last runs, failures, dead letters), run now
"""
