"""Member units (会员单位) and committees (专业委员会): records, pages, Excel import and export.

Contents:
    models.py        units and committees
    routes/          HTML pages: units and committees, Excel, the unit lookup
    forms/           the forms of those pages, and the unit box every feature's forms use
    services/        the rules: units, committees, finding a unit, Excel
    api.py           /api/v1/organisations
    templates/       templates/orgs/: the pages
"""
from flask import Blueprint

bp = Blueprint("orgs", __name__, template_folder="templates")

from app.orgs.routes import excel, lookup, units  # noqa: E402,F401  (routes attach to bp)
