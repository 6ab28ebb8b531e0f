"""Competition services: setting up events (events.py), the seat and quota counters
(capacity.py), registration and its states (registration.py)."""
