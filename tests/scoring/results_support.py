"""Results' world: score entry's world (tests.scoring.marks_support) with both judges' marks
handed in and, when asked, every sheet locked by the chief judge."""
from __future__ import annotations

from decimal import Decimal

from app.core.transaction import unit_of_work
from app.extensions import db
from app.scoring.services import chief, marks
from tests.scoring.marks_support import aspects, build

# registration index → (quality, time), per judge; the compatriot never sees entry 0
JUDGE_MARKS = {0: ("8", "90"), 1: ("6", "80"), 2: ("7", "85")}
COMPATRIOT_MARKS = {1: ("7", "80"), 2: ("7", "85")}


def hand_in(world, user, values: dict, prefix: str = "r"):
    with unit_of_work():
        sheet = marks.sheets_of(user)[0]
    keys = aspects(world)
    entries = []
    for index, (quality, time) in values.items():
        registration = world.entries[index].id
        entries.append(marks.MarkIn(f"{prefix}-q-{index}", registration, keys["quality"].id, 1, Decimal(quality)))
        entries.append(marks.MarkIn(f"{prefix}-t-{index}", registration, keys["time"].id, 1, Decimal(time)))
    with unit_of_work():
        marks.save_marks(sheet, entries, actor=user)
        marks.submit_sheet(sheet, actor=user)
    return sheet


def marked_world(*, lock: bool = True, **options):
    world = build(**options)
    for n, entry in enumerate(world.entries):   # so that they can be told
        entry.person.email = f"contestant{entry.id}-{n}@example.org"
    db.session.commit()
    sheets = [hand_in(world, world.judge, JUDGE_MARKS, "j"), hand_in(world, world.compatriot, COMPATRIOT_MARKS, "c")]
    if lock:
        for sheet in sheets:
            with unit_of_work():
                chief.lock_sheet(sheet, actor=world.chief)
    world.sheets = sheets
    return world
