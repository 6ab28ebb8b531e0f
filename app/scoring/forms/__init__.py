"""Forms of scoring's pages (mirroring routes/).

Contents:
    schemes.py       a new scheme, its settings, a component, an aspect, the rehearsal's marks
    results.py       publish, schedule, cancel, advance
    corrections.py   a correction asked for or refused, a third marker asked
"""
