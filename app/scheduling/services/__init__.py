"""Scheduling's rules, one module per concern.

Contents:
    places.py        venues, rooms and stations: adding, changing, out of service
    bookings.py      booking rooms, stations and people; clashes refused under row locks
    manual.py        bookings by hand on a room's page (a person named by phone or ID number)
"""
