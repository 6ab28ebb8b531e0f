"""The third marker: when a judgement cell's flag says "third_marker" (the scheme's spread
action), the panel's chief judge asks one more judge of the panel — one who has not marked the
cell, may see the contestant (the compatriot rule and declared conflicts,
app.scoring.services.visibility) and whose sheet is not locked. The cell is then theirs to mark
(their sheet owes it, app.scoring.services.marks.SheetView.missing); the flag resolves when
their mark is handed in (app.scoring.services.spread.check_spread), and the results keep the
marks closest together (app.scoring.arithmetic.aspects.keep_closest). The aspect must name its
judges per attempt, so the arithmetic knows which mark is the one more.

Locks: the scheme version's row, then the flag's (as every write of marks)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.services.notification_recipients import tell
from app.core import audit
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.locks import fetch_locked, hold_row
from app.extensions import db
from app.judges.models import Panel
from app.scoring.models import MarkingScheme, SchemeAspect, SchemeVersion, SpreadFlag, ThirdMarker
from app.scoring.services.chief import progress

THIRD_KIND = "scoring.third_marker"


def open_flag(panel: Panel, flag_id: int) -> tuple[SpreadFlag, MarkingScheme]:
    """The flag, if it is on a scheme of the panel's event (else NotFound)."""
    flag = db.session.get(SpreadFlag, flag_id)
    scheme = flag and db.session.get(SchemeVersion, flag.version_id).scheme
    if flag is None or scheme.event_id != panel.event_id or (scheme.stage_id not in (None, panel.stage_id)):
        raise NotFound(_("There is no such flag on this panel."))
    return flag, scheme


def assigned(flag_ids: list[int]) -> dict[int, ThirdMarker]:
    if not flag_ids:
        return {}
    return {t.flag_id: t for t in db.session.scalars(select(ThirdMarker).where(ThirdMarker.flag_id.in_(flag_ids)))}


def assign(panel: Panel, flag_id: int, sheet_id: int, *, actor) -> ThirdMarker:
    """The chief judge asks the judge of sheet `sheet_id` to mark the flagged cell."""
    flag, scheme = open_flag(panel, flag_id)
    hold_row(SchemeVersion, flag.version_id)
    flag = fetch_locked(SpreadFlag, flag.id)
    aspect = db.session.get(SchemeAspect, flag.aspect_id)
    if flag.resolved_at is not None or flag.action != "third_marker":
        raise Conflict(_("This cell does not wait for a third marker."))
    if aspect.judges is None:
        raise Conflict(_("A third marker needs the scheme to say how many judges mark %(aspect)s.",
                         aspect=aspect.name))
    if assigned([flag.id]):
        raise Conflict(_("A third marker was already asked for this cell."))
    state = progress(panel, scheme)
    sheet = next((s for s in state.candidates(flag) if s.id == sheet_id), None)
    if sheet is None:
        raise InvalidInput(_("Please choose a judge of the panel who has not marked this cell and may see the "
                             "contestant."), "sheet_id")
    third = ThirdMarker(flag_id=flag.id, member_id=sheet.member_id, assigned_by_id=getattr(actor, "id", None))
    db.session.add(third)
    db.session.flush()
    contestant = next(c for c in state.contestants if c.registration_id == flag.registration_id)
    audit.record("scoring.third_marker", sheet, actor=actor,
                 after={"aspect": aspect.name, "judge": state.judges[sheet.id]})
    tell(sheet.member.profile.person, THIRD_KIND, key=f"scoring.third:{flag.id}",
         context={"panel": panel.name, "aspect": aspect.name,
                  "contestant": contestant.number if scheme.blind else contestant.label},
         link=f"/scoring/panels/{panel.id}/sheets/{sheet.id}")
    return third
