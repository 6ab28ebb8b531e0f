"""HTML pages of trainings, one module per person who uses them.

Contents:
    curriculum.py   organisers: a class's course sessions (add, change, delete), trainees' hours; the instructor pool
    attendance.py   the room's screen with the rotating QR code, a trainee's check-in by its link, a session's roll
    materials.py    a class's materials: list, upload, delete, download (trainees holding a place, organisers)
"""
from app.trainings.routes import attendance, curriculum, materials  # noqa: F401  (pages attach to bp)
