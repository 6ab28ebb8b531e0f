"""The training classes of the matrix world: one of committee A's and one of committee B's,
running, each with an assessment (tests/matrix_support.py builds the rest)."""
from __future__ import annotations


def add_classes(world, saved) -> None:
    from datetime import date, datetime, timezone
    from decimal import Decimal

    from app.trainings.models import Assessment, AssessmentKind, ClassCategory, ClassState, TrainingClass

    for side, committee_id in (("a", world.committee_a), ("b", world.committee_b)):
        training_class = saved(TrainingClass(
            year=2099, title=f"矩阵培训班{side}", category=ClassCategory.SKILL_UPGRADE, state=ClassState.RUNNING,
            committee_id=committee_id, starts_on=date(2099, 1, 1), ends_on=date(2099, 1, 5), capacity=10,
            opens_at=datetime(2098, 1, 1, tzinfo=timezone.utc), closes_at=datetime(2098, 12, 1, tzinfo=timezone.utc),
            seats_taken=0, waitlist_issued=0, waitlist_left=0))
        saved(Assessment(class_id=training_class.id, title="理论", kind=AssessmentKind.THEORY, max_mark=Decimal(100),
                         pass_mark=Decimal(60), weight=Decimal(1), position=1))
        world.places[f"class_{side}"] = training_class.id
