"""Results as files (成绩导出): the results as an Excel workbook, and what the PDFs of
services.export_pdf draw (the ranking, each judge's score sheet).

Every export reads a `ResultsFile`: the figures as plain JSON (Decimals as exact text), the
scheme version's definition and who each contestant was — the very shape a published snapshot
stores. `from_live` makes one of the live results (staff checking before publication),
`from_snapshot` of a published version (its stored outputs, never recomputed), so the files
do not depend on where the figures came from.

A judge's score sheet is their marks on one scheme version, as counted for results: live, the
marks handed in now; for a snapshot, the marks as they stood at its publication
(standings.counted_marks with `as_of`). Rows are the contestants the judge may see (a withheld
or conflicted contestant never appears) and any they marked; a blind scheme shows numbers only.

Files go through app.core.excel, so no cell can run as a formula (a name "=1+2" stays text).
Headers and words in files are Chinese whatever the page's language: a file is data, passed on
and filed.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person
from app.core import excel
from app.core.errors import NotFound
from app.core.time import to_local, utcnow
from app.extensions import db
from app.judges.models import JudgeProfile, Panel, PanelMember
from app.scoring.models import MarkingScheme, SchemeVersion, ScoreSheet, SheetStatus
from app.scoring.result_models import ResultSnapshot
from app.scoring.services import publication, standings, visibility
from app.scoring.services.marks import attempts_of

RESULTS_SHEET = "成绩"
ABOUT_SHEET = "说明"
NUMBER = "编号"
STATUS_WORDS = {SheetStatus.DRAFT: "草稿", SheetStatus.SUBMITTED: "已提交", SheetStatus.LOCKED: "已锁定"}


@dataclass(frozen=True)
class ResultsFile:
    """What every results export reads, wherever the figures came from."""
    event: str
    scheme: str
    version: int                  # the scheme version the figures used
    snapshot: int | None          # the published version (v1, v2 …); None: live results
    as_of: datetime               # the publication's time, or when the live figures were read
    inputs_hash: str
    definition: dict              # the version's definition, plain (Decimals as text)
    outputs: dict                 # every figure, plain (standings.outputs_of)
    labels: dict[str, dict]       # str(registration id) → name, unit, number
    left_out: int = 0             # live: marks the arithmetic refused (their contestant is unranked)

    @property
    def source(self) -> str:
        if self.snapshot is None:
            return "实时成绩（未发布，仅供核对）"
        return f"已发布第 {self.snapshot} 版"

    @property
    def when(self) -> str:
        local = to_local(self.as_of, current_app.config["JIYI_TIMEZONE"])
        return local.strftime("%Y-%m-%d %H:%M")


def from_live(found: standings.Standings) -> ResultsFile:
    scheme = found.scheme
    return ResultsFile(scheme.event.name, scheme.name, found.version.number, None, utcnow(), found.inputs_hash,
                       found.inputs["scheme"], found.outputs, {str(k): v for k, v in found.labels.items()},
                       len(found.problems))


def from_snapshot(snapshot: ResultSnapshot) -> ResultsFile:
    scheme = snapshot.scheme
    return ResultsFile(scheme.event.name, scheme.name, snapshot.inputs["version"], snapshot.number,
                       snapshot.published_at, snapshot.inputs_hash, snapshot.inputs["scheme"], snapshot.outputs,
                       snapshot.labels)


def snapshot_or_404(scheme: MarkingScheme, number: int) -> ResultSnapshot:
    found = publication.snapshot_of(scheme, number)
    if found is None:
        raise NotFound(_("These results have no published version %(n)d.", n=number))
    return found


def results_file(scheme: MarkingScheme, snapshot: int | None = None) -> ResultsFile:
    """The scheme's live results (snapshot None), or its published version `snapshot`."""
    if snapshot is None:
        return from_live(standings.live(scheme))
    return from_snapshot(snapshot_or_404(scheme, snapshot))


# ---- the lines of a results file ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Columns:
    components: list[tuple[str, str]]     # (key, name), in the scheme's order
    aspects: list[tuple[str, str]]
    standardised: bool
    awards: bool


@dataclass(frozen=True)
class Line:
    place: int | None
    shared: bool
    number: str
    name: str
    unit: str
    components: list[Decimal | None]
    total: Decimal | None
    standardised: Decimal | None
    award: str | None
    decided_by: str
    aspects: list[Decimal | None]
    note: str

    @property
    def place_text(self) -> str:
        if self.place is None:
            return "—"
        return f"{self.place}（并列）" if self.shared else str(self.place)


def columns_of(definition: dict) -> Columns:
    components = [(c["key"], c["name"]) for c in definition["components"]]
    aspects = [(a["key"], a["name"]) for c in definition["components"] for cr in c["criteria"] for a in cr["aspects"]]
    return Columns(components, aspects, definition["standardisation"]["method"] != "none",
                   definition["award"]["method"] != "none" and bool(definition["award"]["levels"]))


def _decimal(text) -> Decimal | None:
    return None if text is None else Decimal(text)


def _names(definition: dict) -> dict[str, str]:
    columns = columns_of(definition)
    return dict(columns.components + columns.aspects)


def decided_words(code: str | None, names: dict[str, str]) -> str:
    """Which tie-break set a contestant apart from the one above ("" when the total did)."""
    if not code or code == "total":
        return ""
    kind, _sep, key = code.partition(":")
    name = names.get(key, key)
    return {"component": name, "aspect": name, "next_best": f"{name}次优成绩"}.get(kind, key)


def note_words(flags, names: dict[str, str]) -> str:
    words = {"missing": "缺少{}的成绩", "spread": "{}评分差距过大", "disagree": "{}两次测量不一致"}
    said = []
    for flag in flags:
        code, _sep, key = flag.partition(":")
        text = words.get(code, "{}").format(names.get(key, key))
        if text not in said:
            said.append(text)
    return "；".join(said)


def lines_of(found: ResultsFile) -> tuple[Columns, list[Line]]:
    """One line per contestant: the ranked first, best first, then the unranked with why."""
    columns = columns_of(found.definition)
    names = _names(found.definition)
    lines = []
    for contestant in found.outputs["contestants"]:
        label = found.labels.get(str(contestant["id"])) or {}
        totals = contestant.get("totals") or {}
        by_component = {c["key"]: c["score"] for c in totals.get("components") or []}
        by_aspect = {a["key"]: a["score"] for a in contestant.get("aspects") or []}
        note = "" if contestant.get("complete") else "未排名：" + (note_words(contestant.get("flags") or [], names)
                                                                or "成绩不全")
        lines.append(Line(
            contestant.get("place"), bool(contestant.get("shared")), label.get("number") or "",
            label.get("name") or "?", label.get("unit") or "",
            [_decimal(by_component.get(key)) for key, _name in columns.components], _decimal(totals.get("total")),
            _decimal(contestant.get("standardised")), contestant.get("award"),
            decided_words(contestant.get("decided_by"), names),
            [_decimal(by_aspect.get(key)) for key, _name in columns.aspects], note))
    return columns, lines


def about_rows(found: ResultsFile) -> list[list[str]]:
    return [["赛项", found.event], ["评分方案", found.scheme], ["方案版本", f"第 {found.version} 版"],
            ["成绩来源", found.source], ["时间", found.when], ["输入数据摘要（SHA-256）", found.inputs_hash]]


def results_workbook(found: ResultsFile) -> bytes:
    """The results as an xlsx: a line per contestant (figures as numbers), and a sheet saying
    which results these are. Every cell through excel.safe_cell."""
    columns, lines = lines_of(found)
    headers = ["名次", "并列", NUMBER, "姓名", "单位", *[name for _key, name in columns.components], "总分"]
    headers += ["标准分"] * columns.standardised + ["奖项"] * columns.awards
    headers += ["决胜依据", *[name for _key, name in columns.aspects], "备注"]
    rows = []
    for line in lines:
        row = [line.place, "是" if line.shared else "", line.number, line.name, line.unit, *line.components,
               line.total]
        row += [line.standardised] * columns.standardised + [line.award or ""] * columns.awards
        rows.append(row + [line.decided_by, *line.aspects, line.note])
    about = [["说明", ""], *about_rows(found)]
    if found.left_out:
        about.append(["未计入的评分", f"{found.left_out} 项（其选手未排名）"])
    return excel.write_workbook(headers, rows, RESULTS_SHEET, text_columns=[NUMBER],
                                extra_sheets=[(ABOUT_SHEET, about)])


def file_name(found: "ResultsFile | JudgeSheets", what: str, suffix: str) -> str:
    which = f"v{found.snapshot}" if found.snapshot is not None else "实时"
    return f"{found.event}-{found.scheme}-{what}-{which}.{suffix}".replace("/", "-")


# ---- each judge's score sheet ---------------------------------------------------------------------------------

@dataclass
class JudgeSheet:
    judge: str
    panel: str
    status: str
    contestants: list[tuple[int, str, str | None]]          # (registration id, number, name or None when blind)
    values: dict[tuple[int, int, int], str] = field(default_factory=dict)   # (registration, aspect, attempt)


@dataclass
class JudgeSheets:
    event: str
    scheme: str
    version: int
    snapshot: int | None
    as_of: datetime
    blind: bool
    columns: list[tuple[int, int, str, str]]     # (aspect id, attempt, name, maximum), in the scheme's order
    sheets: list[JudgeSheet]

    @property
    def source(self) -> str:
        return "实时（已提交的评分）" if self.snapshot is None else f"已发布第 {self.snapshot} 版时的评分"

    @property
    def when(self) -> str:
        return to_local(self.as_of, current_app.config["JIYI_TIMEZONE"]).strftime("%Y-%m-%d %H:%M")


def judge_sheets(scheme: MarkingScheme, *, panel: Panel | None = None, snapshot: int | None = None) -> JudgeSheets:
    """Each judge's marks on the scheme (of one panel, or every panel): live, on the marked
    version; or for a published version, on its scheme version as they stood at publication."""
    if snapshot is None:
        version, as_of, at = standings.marked_version(scheme), None, utcnow()
    else:
        found = snapshot_or_404(scheme, snapshot)
        version, as_of, at = db.session.get(SchemeVersion, found.version_id), found.published_at, found.published_at
    query = select(ScoreSheet).where(ScoreSheet.version_id == version.id).order_by(ScoreSheet.panel_id, ScoreSheet.id)
    if panel is not None:
        query = query.where(ScoreSheet.panel_id == panel.id)
    sheets = list(db.session.scalars(query))
    aspects = visibility.aspects_of(version.id)
    columns = [(a.id, n, a.name if attempts_of(a) == 1 else f"{a.name} #{n}", str(a.maximum))
               for a in aspects for n in range(1, attempts_of(a) + 1)]
    values: dict[int, dict] = defaultdict(dict)
    wanted = {s.id for s in sheets}
    for registration_id, aspect_id, attempt, sheet_id, text in standings.counted_marks(version, as_of):
        if sheet_id in wanted:
            values[sheet_id][(registration_id, aspect_id, attempt)] = text
    made = [_judge_sheet(scheme, sheet_rows, values) for sheet_rows in _by_panel(sheets)]
    return JudgeSheets(scheme.event.name, scheme.name, version.number, snapshot, at, scheme.blind, columns,
                       [sheet for group in made for sheet in group])


def _by_panel(sheets: list[ScoreSheet]) -> list[list[ScoreSheet]]:
    groups: dict[int, list[ScoreSheet]] = defaultdict(list)
    for sheet in sheets:
        groups[sheet.panel_id].append(sheet)
    return list(groups.values())


def _judge_sheet(scheme: MarkingScheme, sheets: list[ScoreSheet], values: dict[int, dict]) -> list[JudgeSheet]:
    """The sheets of one panel: who may see whom read once for the panel."""
    panel = sheets[0].panel
    members = {m.id: m for m in db.session.scalars(select(PanelMember).where(
        PanelMember.id.in_([s.member_id for s in sheets])))}
    names = dict(db.session.execute(select(PanelMember.id, Person.full_name)
                                    .join(JudgeProfile, JudgeProfile.id == PanelMember.profile_id)
                                    .join(Person, Person.id == JudgeProfile.person_id)
                                    .where(PanelMember.id.in_(list(members)))).all())
    everyone = visibility.panel_contestants(panel, blind=scheme.blind)
    hidden = visibility.hidden_for(list(members.values()), panel)
    made = []
    for sheet in sheets:
        marked = {key[0] for key in values.get(sheet.id, {})}
        shown = {c.registration_id for c in visibility.visible(everyone, hidden[sheet.member_id])}
        rows = [(c.registration_id, c.number, c.name) for c in everyone
                if c.registration_id in shown or c.registration_id in marked]
        gone = marked - {c.registration_id for c in everyone}   # marked, no longer on the panel's list
        if gone:
            labels = standings.labels_of(gone)
            rows += [(id_, labels.get(id_, {}).get("number") or "", None if scheme.blind else
                      labels.get(id_, {}).get("name")) for id_ in sorted(gone)]
        made.append(JudgeSheet(names.get(sheet.member_id, "?"), panel.name, STATUS_WORDS.get(sheet.status, ""),
                               rows, values.get(sheet.id, {})))
    return made
