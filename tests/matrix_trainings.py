"""The training classes of the matrix world: each side's class gets an assessment
(tests/matrix_support.py builds the classes)."""
from __future__ import annotations


def add_classes(world, saved) -> None:
    """An assessment in each side's class (the classes come from matrix_support._add_trainings)."""
    from decimal import Decimal

    from app.trainings.models import Assessment, AssessmentKind

    for side in ("a", "b"):
        saved(Assessment(class_id=world.trainings[f"class_{side}"], title="理论", kind=AssessmentKind.THEORY,
                         max_mark=Decimal(100), pass_mark=Decimal(60), weight=Decimal(1), position=1))
