"""Trainees' evaluations of a class (1–5 and a comment) and the anonymous summary organisers see.

A trainee who held a place answers once, after the class (from its last day, or once it is
closed). Organisers never see who answered what: the summary gives the number of answers,
and — only from MIN_ANSWERS answers on, so that no one answer can be told apart — the mean,
the spread over 1–5 and the comments in alphabetical order (never in the order they came).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person
from app.core.errors import Conflict, InvalidInput, NotEligible, Problems
from app.core.transaction import flush_or_refuse
from app.extensions import db
from app.trainings.models import ClassState, Enrolment, EnrolmentStatus, Evaluation, TrainingClass

MIN_ANSWERS = 5
MAX_COMMENT = 2000


def own_evaluation(training_class: TrainingClass, person: Person) -> Evaluation | None:
    return db.session.scalar(select(Evaluation).where(Evaluation.class_id == training_class.id,
                                                      Evaluation.person_id == person.id))


def took_part(training_class: TrainingClass, person: Person) -> bool:
    """Whether `person` held a place in the class."""
    return db.session.scalar(select(Enrolment.id).where(
        Enrolment.class_id == training_class.id, Enrolment.person_id == person.id, Enrolment.is_active,
        Enrolment.status == EnrolmentStatus.ENROLLED)) is not None


def is_open(training_class: TrainingClass, today: date) -> bool:
    """Evaluations are answered after the class: from its last day, or once it is closed."""
    return training_class.state == ClassState.CLOSED or (
        training_class.state == ClassState.RUNNING and today >= training_class.ends_on)


def may_evaluate(training_class: TrainingClass, person: Person | None, today: date) -> bool:
    return (person is not None and is_open(training_class, today) and took_part(training_class, person)
            and own_evaluation(training_class, person) is None)


def check_answer(rating, comment: str | None) -> tuple[int, str | None]:
    """The rating and comment cleaned; raises InvalidInput naming every problem."""
    problems = Problems()
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        problems.add(_("Please choose a rating from 1 to 5."), "rating")
    text = unicodedata.normalize("NFKC", comment or "").strip() or None
    if text is not None and len(text) > MAX_COMMENT:
        problems.add(_("At most %(n)d characters.", n=MAX_COMMENT), "comment")
    problems.raise_any()
    return rating, text


def submit(training_class: TrainingClass, person: Person, rating, comment: str | None, *, today: date) -> Evaluation:
    """Record `person`'s answer. Raises InvalidInput, NotEligible (not a trainee, or not yet
    after the class), Conflict (answered already). Not audited: the answer is anonymous."""
    clean_rating, clean_comment = check_answer(rating, comment)
    if not took_part(training_class, person):
        raise NotEligible(_("Only the class's trainees evaluate it."))
    if not is_open(training_class, today):
        raise NotEligible(_("The evaluation opens on the class's last day."))
    if own_evaluation(training_class, person) is not None:
        raise Conflict(_("You have evaluated this class already. Thank you!"))
    row = Evaluation(class_id=training_class.id, person_id=person.id, rating=clean_rating, comment=clean_comment)
    db.session.add(row)
    flush_or_refuse(Conflict(_("You have evaluated this class already. Thank you!")))
    return row


@dataclass(frozen=True)
class Summary:
    answers: int
    mean: Decimal | None             # None below MIN_ANSWERS
    spread: dict[int, int] | None    # rating → answers; None below MIN_ANSWERS
    comments: list[str] | None       # alphabetical; None below MIN_ANSWERS

    @property
    def is_shown(self) -> bool:
        return self.mean is not None


def summary(training_class: TrainingClass) -> Summary:
    """The anonymous summary (see the module docstring)."""
    rows = db.session.execute(select(Evaluation.rating, Evaluation.comment)
                              .where(Evaluation.class_id == training_class.id)).all()
    if len(rows) < MIN_ANSWERS:
        return Summary(answers=len(rows), mean=None, spread=None, comments=None)
    mean = (Decimal(sum(rating for rating, _comment in rows)) / len(rows)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    spread = {value: sum(1 for rating, _comment in rows if rating == value) for value in range(1, 6)}
    return Summary(answers=len(rows), mean=mean, spread=spread,
                   comments=sorted(comment for _rating, comment in rows if comment))
