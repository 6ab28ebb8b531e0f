"""HTML pages of scoring.

Contents:
    schemes.py       staff: an event's schemes, building one (settings, components, aspects), the rehearsal
"""
