"""HTML pages of scheduling.

Contents:
    places.py        staff: venues, rooms, stations (bulk, out of service), a room's bookings for a day
    bookings.py      staff: booking a room, a station or a person by hand; cancelling (asks first)
"""
