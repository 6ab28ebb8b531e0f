"""Member units (会员单位) and committees (专业委员会): records, pages, Excel import and export."""
from flask import Blueprint

bp = Blueprint("orgs", __name__, template_folder="templates")

from app.orgs import routes, routes_excel, routes_lookup  # noqa: E402,F401  (routes attach to bp)

from app.orgs.labels import template_helpers  # noqa: E402
bp.app_context_processor(template_helpers)  # committee_name(): in the reader's language

from app.orgs import audit_types  # noqa: E402
audit_types.register()  # how its objects and actions read in the audit log
