"""/api/v1 of results files (on the blueprint of app/scoring/api.py): the results as Excel, the
ranking and every judge's score sheet as PDF — of the live results, or of a published version
(`?snapshot=2`). For the event's staff (`competitions.manage` in its committee), as the pages
(app/scoring/routes/exports.py); an unknown published version is 404."""
from __future__ import annotations

from marshmallow import Schema, fields

from app.core.api_schemas import ErrorResponse
from app.core.permissions import requires
from app.core.web import XLSX, xlsx_download
from app.scoring.api import MANAGE, ROW_ID, _scope_of_scheme, blp
from app.scoring.routes.exports import pdf_download, private
from app.scoring.services import export_pdf, exports, schemes

FILE = {"type": "string", "format": "binary"}


class ExportQuery(Schema):
    snapshot = fields.Integer(load_default=None, validate=ROW_ID,
                              metadata={"description": "A published version's number; absent: the live results"})


@blp.route("/scoring/schemes/<int:scheme_id>/results.xlsx")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
@blp.arguments(ExportQuery, location="query")
@blp.response(200, FILE, content_type=XLSX, description="The results as an Excel workbook (formula-safe)")
@blp.alt_response(404, schema=ErrorResponse)
def results_xlsx(query, scheme_id: int):
    """The results as Excel: a line per contestant (place, components, total, award, each aspect)."""
    found = exports.results_file(schemes.get_or_404(scheme_id), query["snapshot"])
    return private(xlsx_download(exports.results_workbook(found), exports.file_name(found, "成绩", "xlsx")))


@blp.route("/scoring/schemes/<int:scheme_id>/ranking.pdf")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
@blp.arguments(ExportQuery, location="query")
@blp.response(200, FILE, content_type="application/pdf", description="The ranking as PDF")
@blp.alt_response(404, schema=ErrorResponse)
def ranking_pdf(query, scheme_id: int):
    """The ranking as PDF, with the chief judge's and the supervisor's signature lines."""
    found = exports.results_file(schemes.get_or_404(scheme_id), query["snapshot"])
    return pdf_download(export_pdf.ranking_pdf(found), exports.file_name(found, "成绩排名", "pdf"))


@blp.route("/scoring/schemes/<int:scheme_id>/judge-sheets.pdf")
@requires(MANAGE, scope=_scope_of_scheme, scope_arg="scheme_id")
@blp.arguments(ExportQuery, location="query")
@blp.response(200, FILE, content_type="application/pdf", description="Every judge's score sheet as PDF")
@blp.alt_response(404, schema=ErrorResponse)
def judge_sheets_pdf(query, scheme_id: int):
    """Each judge's marks on the scheme (as at the published version's time), with signature lines."""
    found = exports.judge_sheets(schemes.get_or_404(scheme_id), snapshot=query["snapshot"])
    return pdf_download(export_pdf.judge_sheets_pdf(found), exports.file_name(found, "评分表", "pdf"))
