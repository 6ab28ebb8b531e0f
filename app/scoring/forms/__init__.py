"""Forms of scoring's pages (mirroring routes/).

Contents:
    schemes.py       a new scheme, its settings, a component, an aspect, the rehearsal's marks
    corrections.py   a correction asked for or refused, a third marker asked
"""
