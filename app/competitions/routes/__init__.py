"""HTML pages of competitions, one module per person who uses them:
public.py (anyone: competitions, events, seats), setup.py (staff: competitions, events,
quotas), mine.py (contestants: registering, my entries), staff.py (staff: entries, bulk
decisions, exports), unit.py (liaisons: the unit portal, Excel bulk registration),
tickets.py and checkin.py (admission tickets, door check-in)."""
