"""GET /orgs/lookup: the units a unit box suggests while someone types (app/orgs/forms/fields.py)."""
from __future__ import annotations

from flask import jsonify, request

from app.core.permissions import signed_in
from app.orgs import bp
from app.orgs.services import lookup


@bp.get("/orgs/lookup")
@signed_in
def lookup_units():
    """At most 20 units whose name contains `q` or whose credit code starts with it, as JSON
    [{id, name, credit_code}]; an empty list for fewer than two characters. Names and codes
    of member units are no secret: anyone signed in names their own unit with them."""
    units = lookup.suggestions(request.args.get("q", ""))
    return jsonify([{"id": org.id, "name": org.name, "credit_code": org.credit_code} for org in units])
