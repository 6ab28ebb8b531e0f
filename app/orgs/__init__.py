"""Member units (会员单位) and committees (专业委员会): records, pages, Excel import and export.

Contents:
    hooks.py         what it adds to shared pages: permissions, menu entries, sections, providers
    models.py        units and committees
    routes/          HTML pages: units and committees, Excel, the unit lookup
    forms/           the forms of those pages, and the unit box every feature's forms use
    services/        the rules: units, committees, finding a unit, Excel
    api.py           /api/v1/organisations
    templates/       templates/orgs/: the pages
    labels.py        committee names in the reader's language
    audit_types.py   how its objects and actions read in the audit log
"""
from flask import Blueprint

bp = Blueprint("orgs", __name__, template_folder="templates")

from app.orgs.routes import excel, lookup, units  # noqa: E402,F401  (routes attach to bp)

from app.orgs.labels import template_helpers  # noqa: E402
bp.app_context_processor(template_helpers)  # committee_name(): in the reader's language
