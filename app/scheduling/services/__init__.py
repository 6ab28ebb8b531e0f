"""Scheduling's rules, one module per concern.

Contents:
    places.py        venues, rooms and stations: adding, changing, out of service
    bookings.py      booking rooms, stations and people; clashes refused under row locks
"""
