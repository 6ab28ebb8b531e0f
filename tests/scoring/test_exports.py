"""Results as files: the Excel workbook (no cell can run as a formula), the ranking PDF and each
judge's score sheet PDF (signature lines; a withheld contestant never on a compatriot's sheet),
of the live results and of a published version alike — the same lines from either source; a
published version's sheets show the marks as they stood then; who may download what."""
from __future__ import annotations

import io
import subprocess
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from app.accounts.services.tokens import create_token
from app.core.transaction import unit_of_work
from app.extensions import db as database
from app.scoring.models import Mark, MarkChange
from app.scoring.services import exports, publication, standings
from tests.factories import staff
from tests.scoring.marks_support import aspects
from tests.scoring.results_support import marked_world
from tests.support import need_tools, sign_in


def pdf_text(pdf: bytes, folder) -> str:
    need_tools("pdftotext")
    path = folder / "export.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def workbook_rows(data: bytes) -> tuple[list[list], list]:
    book = load_workbook(io.BytesIO(data))
    sheet = book["成绩"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    return [[cell.value for cell in row] for row in sheet.iter_rows()], cells


def test_results_and_score_sheets_as_files_live_and_published(client, db, tmp_path):
    world = marked_world()
    first, second, third = world.entries
    first.person.full_name = "=HYPERLINK(\"http://x\")"          # formula-looking names stay text
    world.units[1].name = "@SUM(1+1)"
    database.session.commit()
    url = f"/scoring/schemes/{world.scheme.id}"
    manager = staff()
    sign_in(client, manager)

    live = client.get(url + "/results.xlsx")
    assert live.status_code == 200 and "no-store" in live.headers["Cache-Control"]
    rows, cells = workbook_rows(live.data)
    assert not [cell for cell in cells if cell.data_type == "f"]
    header = rows[0]
    assert header[:5] == ["名次", "并列", "编号", "姓名", "单位"] and "总分" in header and "工艺质量" in header
    assert [(row[0], row[3], row[header.index("总分")]) for row in rows[1:]] == [
        (1, "'=HYPERLINK(\"http://x\")", 98), (2, third.person.full_name, 92), (3, second.person.full_name, 86.5)]
    assert rows[3][4] == "'@SUM(1+1)"
    about = dict(load_workbook(io.BytesIO(live.data))["说明"].iter_rows(values_only=True))
    assert about["成绩来源"].startswith("实时成绩")

    with unit_of_work():
        snapshot, _made = publication.publish(world.scheme, actor=world.chief)
    published = client.get(url + "/results.xlsx?snapshot=1")
    assert workbook_rows(published.data)[0] == rows
    # the same lines from either source: the exports never ask where the figures came from
    assert exports.lines_of(exports.from_live(standings.live(world.scheme))) == \
        exports.lines_of(exports.from_snapshot(snapshot))
    assert client.get(url + "/results.xlsx?snapshot=2").status_code == 404
    assert client.get(url + "/ranking.pdf?snapshot=x").status_code == 404

    ranking = client.get(url + "/ranking.pdf?snapshot=1")
    assert ranking.status_code == 200 and ranking.mimetype == "application/pdf"
    text = pdf_text(ranking.data, tmp_path)
    assert "成绩排名" in text and third.person.full_name in text and "已发布第 1 版" in text and "裁判长" in text
    assert "仅供核对" in pdf_text(client.get(url + "/ranking.pdf").data, tmp_path)

    # a correction after publication: v1's score sheets keep the marks as they stood then
    timed = database.session.scalars(select(Mark).where(Mark.registration_id == second.id,
                                                        Mark.aspect_id == aspects(world)["time"].id)).all()
    for mark in timed:
        database.session.add(MarkChange(mark_id=mark.id, old_value=mark.value, new_value=Decimal(77), reason="复核"))
        mark.value = Decimal(77)
    database.session.commit()
    then = exports.judge_sheets(world.scheme, snapshot=1)
    now = exports.judge_sheets(world.scheme)
    key = (second.id, aspects(world)["time"].id, 1)
    assert {s.values[key] for s in then.sheets} == {"80"} and {s.values[key] for s in now.sheets} == {"77"}

    sheets = client.get(url + "/judge-sheets.pdf")
    assert sheets.status_code == 200
    pages = pdf_text(sheets.data, tmp_path).split("\f")[:-1]
    compatriot = [page for page in pages if world.compatriot.person.full_name in page]
    assert compatriot and "评分裁判" in compatriot[-1] and "Chief judge" in compatriot[-1]
    assert not any("HYPERLINK" in page for page in compatriot)        # entry 0 is withheld from them
    assert any("HYPERLINK" in page for page in pages if world.judge.person.full_name in page)


def test_the_chief_judge_prints_their_panels_sheets_and_the_api_serves_the_files(client, db):
    world = marked_world(lock=False)
    sign_in(client, world.chief)
    progress = client.get(f"/scoring/panels/{world.panel.id}/progress").get_data(as_text=True)
    assert "judge-sheets-pdf" in progress
    own = client.get(f"/scoring/panels/{world.panel.id}/judge-sheets.pdf?scheme_id={world.scheme.id}")
    assert own.status_code == 200 and own.data.startswith(b"%PDF")
    assert client.get(f"/scoring/schemes/{world.scheme.id}/ranking.pdf").status_code == 403

    _token, text = create_token(staff(), "exports")
    database.session.commit()
    headers = {"Authorization": f"Bearer {text}"}
    base = f"/api/v1/scoring/schemes/{world.scheme.id}"
    workbook = client.get(base + "/results.xlsx", headers=headers)
    assert workbook.status_code == 200 and workbook.mimetype.endswith("spreadsheetml.sheet")
    assert client.get(base + "/judge-sheets.pdf", headers=headers).data.startswith(b"%PDF")
    missing = client.get(base + "/ranking.pdf?snapshot=3", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["error"]["code"]
