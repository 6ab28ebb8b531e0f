"""Rehearsal (预演): marks pasted or uploaded for a scheme, and every figure they give.

Marks come one attempt a line — contestant, aspect code, attempt number, factor, then each
judge's mark — separated by commas, tabs (a paste from Excel) or semicolons; a first line
naming the columns is skipped. Attempt and factor may be left empty (1 and 1). A line whose
aspect reads `extra:<code>` gives a contestant's figure for a tie-break instead (e.g.
`extra:time`, the completion time). An Excel upload has the same columns, headed contestant,
aspect, attempt, factor, J1, J2, ….

`preview` runs the same arithmetic results will run (app.scoring.arithmetic.results.compute)
on the scheme's definition; nothing is stored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from app.core import excel
from app.core.errors import InvalidInput, Problems
from app.scoring.arithmetic import results
from app.scoring.services import schemes

MAX_LINES = 20000
MAX_MARKS_PER_LINE = schemes.MAX_JUDGES
MAX_NUMBER_DIGITS = 12
SEPARATORS = re.compile(r"[\t,;，；]")
EXTRA = "extra:"
HEADERS = ("contestant", "aspect", "attempt", "factor")
EXCEL_COLUMNS = [excel.Column(h, required=h in ("contestant", "aspect"), text_code=h == "contestant")
                 for h in HEADERS] + [excel.Column(f"J{n}") for n in range(1, MAX_MARKS_PER_LINE + 1)]


@dataclass(frozen=True)
class MarkLine:
    """One attempt's marks as given (or one extra figure), with where it came from."""
    line: int
    contestant: str
    aspect: str
    attempt: int
    factor: Decimal
    marks: tuple[Decimal, ...]


def _number(text: str) -> Decimal | None:
    text = text.strip()
    if not text or len(text) > MAX_NUMBER_DIGITS + 2:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _line_of(number: int, cells: list[str], problems: Problems) -> MarkLine | None:
    cells = [c.strip() for c in cells]
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) < 3:
        problems.add(_("Line %(n)d: give the contestant, the aspect and at least one mark.", n=number), "marks")
        return None
    contestant, aspect, attempt_text, factor_text = (cells + ["", ""])[:4]
    marks_text = cells[4:] if len(cells) > 4 else []
    if aspect.startswith(EXTRA):
        marks_text, attempt_text, factor_text = [cells[2]], "", ""
    if not contestant or not aspect or len(contestant) > 100 or len(aspect) > 40:
        problems.add(_("Line %(n)d: the contestant and the aspect code cannot be empty.", n=number), "marks")
        return None
    attempt = int(attempt_text) if attempt_text.isdigit() and 0 < int(attempt_text) <= 1000 else None
    factor = _number(factor_text) if factor_text else Decimal(1)
    marks = [_number(m) for m in marks_text]
    bad = []
    if attempt_text and attempt is None:
        bad.append(_("the attempt is a whole number from 1"))
    if factor is None:
        bad.append(_("the factor is not a number"))
    if not marks or None in marks:
        bad.append(_("every mark must be a number"))
    if len(marks) > MAX_MARKS_PER_LINE:
        bad.append(_("at most %(most)d marks", most=MAX_MARKS_PER_LINE))
    if bad:
        problems.add(_("Line %(n)d: %(what)s.", n=number, what=_("; ").join(bad)), "marks")
        return None
    return MarkLine(number, contestant, aspect, attempt or 1, factor, tuple(marks))


def lines_from_text(text: str) -> list[MarkLine]:
    """The marks in pasted text; InvalidInput naming every bad line."""
    problems = Problems()
    raw = [(n, line) for n, line in enumerate((text or "").splitlines(), 1) if line.strip()]
    if raw and SEPARATORS.split(raw[0][1])[0].strip().casefold() in ("contestant", "选手"):
        raw = raw[1:]  # the column names
    if not raw:
        raise InvalidInput(_("Please paste the marks, one attempt a line."), "marks")
    if len(raw) > MAX_LINES:
        raise InvalidInput(_("At most %(most)d lines at once.", most=MAX_LINES), "marks")
    found = [_line_of(n, SEPARATORS.split(line), problems) for n, line in raw]
    problems.raise_any()
    return [line for line in found if line]


def lines_from_excel(data: bytes) -> list[MarkLine]:
    """The marks in an uploaded workbook; InvalidInput naming every bad row."""
    rows = excel.read_rows(data, EXCEL_COLUMNS, max_rows=MAX_LINES)
    problems = Problems()
    found = []
    for row in rows:
        for error in row.errors:
            problems.add(_("Row %(n)d, %(column)s: %(message)s", n=error.row, column=error.column,
                           message=error.message), "file")
        cells = [row[h] or "" for h in HEADERS] + [row[f"J{n}"] or "" for n in range(1, MAX_MARKS_PER_LINE + 1)]
        found.append(_line_of(row.number, cells, problems))
    if not rows:
        problems.add(_("The sheet holds no marks."), "file")
    problems.raise_any()
    return [line for line in found if line]


def field_of(lines: list[MarkLine]) -> list[results.ContestantMarks]:
    """The marks grouped by contestant (in the order they first appear) and aspect."""
    attempts: dict[str, dict[str, list[results.AttemptMarks]]] = {}
    extras: dict[str, dict[str, Decimal]] = {}
    for line in lines:
        attempts.setdefault(line.contestant, {})
        extras.setdefault(line.contestant, {})
        if line.aspect.startswith(EXTRA):
            extras[line.contestant][line.aspect[len(EXTRA):]] = line.marks[0]
        else:
            attempts[line.contestant].setdefault(line.aspect, []).append(
                results.AttemptMarks(line.attempt, line.marks, line.factor))
    return [results.ContestantMarks(name, {k: tuple(v) for k, v in made.items()}, extras[name])
            for name, made in attempts.items()]


def _problem_text(problem: results.Problem) -> str:
    judge = _("judge %(n)d", n=problem.mark + 1) if problem.mark is not None else ""
    messages = {
        "below": _("the mark of %(judge)s is below the scale", judge=judge),
        "above": _("the mark of %(judge)s is above the scale", judge=judge),
        "off_step": _("the mark of %(judge)s is not on the scale's steps", judge=judge),
        "no_marks": _("no marks"),
        "judge_count": _("the number of marks is not the number of judges"),
        "too_few_to_trim": _("too few marks for the marks the scheme drops"),
        "measurement_takes_one_or_two": _("a measurement takes one mark, or two that must agree"),
        "unknown_aspect": _("this aspect code is not in the scheme"),
        "attempt_twice": _("an attempt number is given twice"),
        "attempt_count": _("the number of attempts is not the scheme's"),
        "too_few_attempts": _("fewer attempts than the best K the scheme counts"),
        "factor": _("the factor must be above zero"),
        "factor_not_used": _("this aspect takes no factor"),
        "contestant_twice": _("the contestant appears twice"),
    }
    where = [str(problem.contestant)]
    if problem.aspect:
        where.append(problem.aspect)
    if problem.attempt is not None:
        where.append(_("attempt %(n)d", n=problem.attempt))
    return f"{' · '.join(where)}: {messages.get(problem.code, problem.code)}"


def preview(definition: dict, lines: list[MarkLine]) -> results.FieldResult:
    """Every figure the marks give under `definition`; InvalidInput naming every problem."""
    schemes.check_definition(definition)
    spec = schemes.spec_of(definition)
    field = field_of(lines)
    problems = results.check(spec, field)
    if problems:
        raise InvalidInput(_("The marks have %(n)d problems.", n=len(problems)), "marks",
                           problems=[("marks", _problem_text(p)) for p in problems])
    return results.compute(spec, field)
