"""A throwaway counter table for the tests of app.core.counters: one row per "course" with
places, a waiting list and a serial, and its entries (an ORM class) waiting in line.

The tables live in their own MetaData, so the app's schema and the wipe between tests never
see them: `counter_tables` creates them and drops them again.
"""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import Boolean, Column, ForeignKey, Integer, MetaData, Table, insert
from sqlalchemy.orm import registry

from app.core import counters
from app.extensions import db

metadata = MetaData()
courses = Table("test_counter_courses", metadata,
                Column("id", Integer, primary_key=True),
                Column("capacity", Integer, nullable=False),
                Column("taken", Integer, nullable=False, default=0),
                Column("issued", Integer, nullable=False, default=0),
                Column("left", Integer, nullable=False, default=0),
                Column("certificates", Integer, nullable=False, default=0),
                Column("is_graded", Boolean, nullable=False, default=False))
entries = Table("test_counter_entries", metadata,
                Column("id", Integer, primary_key=True),
                Column("course_id", Integer, ForeignKey("test_counter_courses.id"), nullable=False),
                Column("position", Integer),
                Column("is_waiting", Boolean, nullable=False, default=False))


class Entry:
    """One entrant of a course: seated, or waiting at `position`."""


registry().map_imperatively(Entry, entries)

COURSE = counters.Row(courses, courses.c.id)
places = counters.Places(COURSE, taken=courses.c.taken, capacity=courses.c.capacity,
                         waitlist=counters.WaitlistColumns(issued=courses.c.issued, left=courses.c.left),
                         returning=(courses.c.is_graded,))
certificates = counters.Serial(COURSE, courses.c.certificates)
line = counters.Queue(Entry, owner=(Entry.course_id,), waiting=Entry.is_waiting.is_(True), order=Entry.position)


@contextmanager
def counter_tables():
    """Create the throwaway tables (committed, so other connections see them); drop them after."""
    db.session.remove()
    metadata.create_all(db.engine)
    try:
        yield
    finally:
        db.session.remove()
        metadata.drop_all(db.engine)


def add_course(capacity: int, *, is_graded: bool = False) -> int:
    """A committed course row with nothing taken; returns its id."""
    course_id = db.session.execute(insert(courses).values(capacity=capacity, is_graded=is_graded)
                                   .returning(courses.c.id)).scalar_one()
    db.session.commit()
    return course_id
