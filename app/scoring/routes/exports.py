"""Downloads of results (成绩导出): the results as Excel, the ranking as PDF, each judge's score
sheet as PDF — of the live results, or of a published version (`?snapshot=2`).

The event's staff (`competitions.manage` in its committee) download them for a scheme; the
chief judge (panel.chief) downloads the score sheets of their own panel, from its progress
page, to have them signed. An unknown published version is 404. Names and marks: no shared
caches.
"""
from __future__ import annotations

import io

from flask import abort, request, send_file
from sqlalchemy import select

from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import requires
from app.core.web import xlsx_download
from app.extensions import db
from app.judges.models import Panel
from app.judges.services.relations import PANEL_CHIEF
from app.scoring import bp
from app.scoring.result_models import ResultSnapshot
from app.scoring.routes.schemes import MANAGE, _scope_of_scheme
from app.scoring.routes.sheets import _scope_of_panel
from app.scoring.services import chief, export_pdf, exports, schemes


def snapshot_arg() -> int | None:
    """`?snapshot=N`: a published version; absent: the live results. Nonsense is 404."""
    text = request.args.get("snapshot")
    if text is None or text == "":
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_ROW_ID:
        abort(404)
    return int(text)


def private(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


def pdf_download(data: bytes, filename: str):
    return private(send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                             download_name=filename))


@bp.app_template_global()
def published_versions(scheme_id: int) -> list[int]:
    """The numbers of a scheme's published versions, the newest first (for the download links)."""
    return list(db.session.scalars(select(ResultSnapshot.number).where(ResultSnapshot.scheme_id == scheme_id)
                                   .order_by(ResultSnapshot.number.desc())))   # not their (big) figures


@bp.get("/scoring/schemes/<int:scheme_id>/results.xlsx")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def results_xlsx(scheme_id: int):
    """The results as an Excel workbook: live, or a published version's."""
    found = exports.results_file(schemes.get_or_404(scheme_id), snapshot_arg())
    return private(xlsx_download(exports.results_workbook(found), exports.file_name(found, "成绩", "xlsx")))


@bp.get("/scoring/schemes/<int:scheme_id>/ranking.pdf")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def ranking_pdf(scheme_id: int):
    """The ranking as PDF, with signature lines: live, or a published version's."""
    found = exports.results_file(schemes.get_or_404(scheme_id), snapshot_arg())
    return pdf_download(export_pdf.ranking_pdf(found), exports.file_name(found, "成绩排名", "pdf"))


@bp.get("/scoring/schemes/<int:scheme_id>/judge-sheets.pdf")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
def judge_sheets_pdf(scheme_id: int):
    """Every judge's score sheet on the scheme, each with signature lines."""
    scheme = schemes.get_or_404(scheme_id)
    found = exports.judge_sheets(scheme, snapshot=snapshot_arg())
    return pdf_download(export_pdf.judge_sheets_pdf(found), exports.file_name(found, "评分表", "pdf"))


@bp.get("/scoring/panels/<int:panel_id>/judge-sheets.pdf")
@requires(MANAGE, scope=_scope_of_panel, scope_arg="panel_id", relation=PANEL_CHIEF, relation_arg="panel_id")
def panel_judge_sheets_pdf(panel_id: int):
    """The score sheets of one panel's judges on a scheme (`?scheme_id=`, else its first)."""
    panel = db.get_or_404(Panel, panel_id)
    scheme = chief.scheme_of_panel(panel, request.args.get("scheme_id", type=int))
    found = exports.judge_sheets(scheme, panel=panel, snapshot=snapshot_arg())
    return pdf_download(export_pdf.judge_sheets_pdf(found), exports.file_name(found, "评分表", "pdf"))

