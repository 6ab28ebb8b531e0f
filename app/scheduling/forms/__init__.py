"""Forms of scheduling's pages (mirroring routes/).

Contents:
    places.py        a venue, a room, a station, stations in bulk, out of service, a day
    bookings.py      a booking by hand, its cancellation
"""
