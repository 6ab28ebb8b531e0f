"""A cell's marks (one contestant × aspect × attempt, across the judges' sheets): how many it
needs, the spread check, and the third marker's cells.

How many. An aspect that names its judges per attempt (`aspect.judges`, n) needs exactly n
marks on each cell: a measurement is entered by one judge, or by two who must agree; n judges
of a larger panel mark a judgement. The first n judges to mark a cell fill it; a further mark
is refused (unless it is the third marker's). An aspect without the number needs every
judge's mark.

The check. Judgement marks further apart than the aspect's allowed spread, or the two
measurements of a two-judge measurement that differ, raise a flag on the cell and tell the
chief judge. The scheme's spread action says what follows: "remark" — the judges revise
(each change kept with its reason) until the marks agree, and the flag resolves; a
measurement's disagreement is always re-measured. "third_marker" — the chief judge assigns one
more judge (app.scoring.services.third_markers); the flag resolves when that judge's mark is
handed in, and the arithmetic keeps the marks closest together
(app.scoring.arithmetic.aspects.keep_closest).
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from app.accounts.models import User
from app.core.time import utcnow
from app.extensions import db
from app.judges.models import JudgeProfile, Panel, PanelMember, PanelRole
from app.judges.services.draws import SEATED
from app.notifications.services.inbox import notify
from app.scoring.models import Mark, SchemeAspect, SchemeVersion, ScoreSheet, SheetStatus, SpreadFlag, ThirdMarker

SPREAD_KIND = "scoring.spread"


def number_text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def watched(aspect: SchemeAspect) -> bool:
    """The aspect's cells are checked: a judgement with an allowed spread, a two-judge measurement."""
    return ((aspect.kind == "judgement" and aspect.allowed_spread is not None)
            or (aspect.kind == "measurement" and aspect.judges == 2))


def third_cells(version_id: int, member_id: int) -> set[tuple[int, int, int]]:
    """The cells the member was asked to mark as the third marker on the version."""
    return {(f.registration_id, f.aspect_id, f.attempt) for f in db.session.scalars(
        select(SpreadFlag).join(ThirdMarker, ThirdMarker.flag_id == SpreadFlag.id)
        .where(SpreadFlag.version_id == version_id, ThirdMarker.member_id == member_id))}


def crowded(sheet: ScoreSheet, cells: set, aspects: dict[int, SchemeAspect]) -> set:
    """Among `cells` (none marked on `sheet` yet), those whose aspect names its judges and that
    other sheets' marks already fill — not the sheet's third-marker cells. The caller holds the
    version's row, so two judges filling the last place at once are ordered."""
    limited = {cell for cell in cells if aspects[cell[1]].judges is not None}
    if not limited:
        return set()
    counts = dict(((r, a, n), count) for r, a, n, count in db.session.execute(
        select(Mark.registration_id, Mark.aspect_id, Mark.attempt, func.count(Mark.id))
        .join(ScoreSheet, ScoreSheet.id == Mark.sheet_id)
        .where(ScoreSheet.version_id == sheet.version_id, Mark.sheet_id != sheet.id,
               Mark.aspect_id.in_({c[1] for c in limited}), Mark.registration_id.in_({c[0] for c in limited}))
        .group_by(Mark.registration_id, Mark.aspect_id, Mark.attempt)))
    thirds = third_cells(sheet.version_id, sheet.member_id)
    return {cell for cell in limited if counts.get(cell, 0) >= aspects[cell[1]].judges and cell not in thirds}


def check_spread(version: SchemeVersion, panel: Panel, cells: set, aspects: dict[int, SchemeAspect]) -> None:
    """Raise or resolve the flag of each watched cell among `cells`, from the handed-in marks of
    every sheet on the version. The caller holds the version's row: every mark handed in before
    is seen."""
    watched_cells = {cell for cell in cells if watched(aspects[cell[1]])}
    if not watched_cells:
        return
    values = defaultdict(list)
    for registration_id, aspect_id, attempt, member_id, value in db.session.execute(
            select(Mark.registration_id, Mark.aspect_id, Mark.attempt, Mark.member_id, Mark.value)
            .join(ScoreSheet, ScoreSheet.id == Mark.sheet_id)
            .where(ScoreSheet.version_id == version.id, ScoreSheet.status != SheetStatus.DRAFT,
                   Mark.aspect_id.in_({c[1] for c in watched_cells}),
                   Mark.registration_id.in_({c[0] for c in watched_cells}))):
        values[(registration_id, aspect_id, attempt)].append((member_id, value))
    flags = {(f.registration_id, f.aspect_id, f.attempt): f for f in db.session.scalars(
        select(SpreadFlag).where(SpreadFlag.version_id == version.id,
                                 SpreadFlag.aspect_id.in_({c[1] for c in watched_cells})))}
    thirds = {t.flag_id: t for t in db.session.scalars(
        select(ThirdMarker).where(ThirdMarker.flag_id.in_([f.id for f in flags.values()])))} if flags else {}
    for cell in sorted(watched_cells):
        aspect = aspects[cell[1]]
        marks = [value for _member, value in values.get(cell, [])]
        spread = max(marks) - min(marks) if len(marks) > 1 else Decimal(0)
        allowed = aspect.allowed_spread if aspect.kind == "judgement" else Decimal(0)
        flag = flags.get(cell)
        third = thirds.get(flag.id) if flag is not None else None
        if third is not None:   # the third marker's to resolve, once and for all
            if third.marked_at is None and third.member_id in {member for member, _v in values.get(cell, [])}:
                third.marked_at = flag.resolved_at = utcnow()
                flag.spread = spread
            continue
        if spread > allowed:
            if flag is None:
                action = version.scheme.spread_action if aspect.kind == "judgement" else "remark"
                flag = SpreadFlag(version_id=version.id, registration_id=cell[0], aspect_id=cell[1], attempt=cell[2],
                                  spread=spread, action=action)
                db.session.add(flag)
                db.session.flush()
                _tell_chiefs(panel, flag, aspect, allowed)
            else:
                flag.spread, flag.resolved_at = spread, None
        elif flag is not None and flag.resolved_at is None:
            flag.spread, flag.resolved_at = spread, utcnow()


def chief_users(panel: Panel) -> list[int]:
    """The user ids of the panel's seated chief judges."""
    return list(db.session.scalars(
        select(User.id).join(JudgeProfile, JudgeProfile.person_id == User.person_id)
        .join(PanelMember, PanelMember.profile_id == JudgeProfile.id)
        .where(PanelMember.panel_id == panel.id, PanelMember.role == PanelRole.CHIEF,
               PanelMember.status.in_(SEATED))))


def _tell_chiefs(panel: Panel, flag: SpreadFlag, aspect: SchemeAspect, allowed: Decimal) -> None:
    for user_id in chief_users(panel):
        notify(user_id, SPREAD_KIND, key=f"scoring.spread:{flag.id}",
               context={"panel": panel.name, "aspect": aspect.name, "spread": number_text(flag.spread),
                        "allowed": number_text(allowed)},
               link=f"/scoring/panels/{panel.id}/progress")
