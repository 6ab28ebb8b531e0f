"""The JSON API under /api/v1: token authentication, OpenAPI document, docs page.

Each feature writes its resources in its own `api.py` (or `api/`) with a flask-smorest
Blueprint and the shared schemas of app.core.api_schemas; this package binds them to the
one `Api` object that generates the OpenAPI 3 document.
flask-smorest was chosen because it works with a plain Flask app and `init_app`, validates
input and output with marshmallow schemas in one place per resource, and builds the
document from the same schemas, so the document cannot drift from the code.

The error answers every operation can give are documented here once, from each view's
access rule (app.core.permissions): public operations need no token (`security: []`),
the others answer 401 without one, and those that need a permission 403 without it.
tests/api/test_schemathesis.py holds the document to what the code answers.

Contents:
    (nothing yet)
"""
from __future__ import annotations

import re
import types
from http import HTTPStatus

from flask import Blueprint, Flask, render_template
from flask_smorest import Api
from flask_smorest import Blueprint as ApiBlueprint

from app.core.api_schemas import ErrorResponse
from app.core.permissions import public
from app.core.request_path import json_body
from app.extensions import csrf


class JiyiApi(Api):
    """flask-smorest's Api, with errors answered by app.core.errors in our JSON shape, and
    documented in that shape (ErrorResponse) status by status, never as a catch-all default."""

    ERROR_SCHEMA = ErrorResponse
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        pass


# Every API blueprint shares this one parser: it reads the body app.core.input_limits parsed
# already, instead of parsing it a second time.
_parser = ApiBlueprint.ARGUMENTS_PARSER
_parser._raw_load_json = types.MethodType(json_body, _parser)

api = JiyiApi(spec_kwargs={"info": {"description": "Jiyi (技艺) — competitions, trainings, judges, certificates."}})
docs_bp = Blueprint("api_docs", __name__)


@docs_bp.get("/api/v1/docs")
@public
def docs():
    """An interactive page for the OpenAPI document, served without any CDN."""
    return render_template("api/docs.html")


def _errors_for(access, path: str, has_body: bool) -> list[HTTPStatus]:
    """The error statuses an operation can answer whatever it does: a body that is not JSON
    (400), no token (401), no permission (403), an id that names nothing (404)."""
    kind = getattr(access, "kind", None)
    statuses = [HTTPStatus.BAD_REQUEST] if has_body else []
    if kind != "public":
        statuses.append(HTTPStatus.UNAUTHORIZED)
    if kind == "permission":
        statuses.append(HTTPStatus.FORBIDDEN)
    if "{" in path:
        statuses.append(HTTPStatus.NOT_FOUND)
    return statuses


def _document_access(app: Flask) -> None:
    """Write each operation's security and error answers into the document from its view's rule."""
    paths = api.spec.to_dict()["paths"]
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        if path not in paths:
            continue
        access = getattr(app.view_functions[rule.endpoint], "access", None)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = paths[path].get(method.lower())
            if operation is None:
                continue
            if getattr(access, "kind", None) == "public":
                operation["security"] = []
            responses = operation.setdefault("responses", {})
            for status in _errors_for(access, path, "requestBody" in operation):
                responses.setdefault(str(status.value), api.spec.components.get_ref("response", status.name))


def init_api(app: Flask, beside: tuple = ()) -> None:
    """Bind every feature's API blueprint; `beside`: those of packages on api's own floor (jobs),
    which api may not import, handed over by create_app."""
    from app.accounts.api import blp as accounts_blp
    from app.certificates.api import blp as certificates_blp
    from app.competitions.api.checkin import blp as checkin_blp
    from app.competitions.api.registrations import blp as competitions_blp
    from app.competitions.api.timetables import blp as timetables_blp
    from app.competitions.api.station_draws import blp as station_draws_blp
    from app.competitions.api.sessions import blp as sessions_blp
    from app.judges.api.pool import blp as judges_blp
    from app.judges.api.panels import blp as judge_panels_blp
    from app.notifications.api import blp as notifications_blp
    from app.orgs.api import blp as orgs_blp
    from app.scheduling.api import blp as scheduling_blp
    from app.scoring.api import blp as scoring_blp
    from app.trainings.api.attendance import blp as training_attendance_blp
    from app.trainings.api.sessions import blp as training_sessions_blp
    from app.trainings.api.results import blp as training_results_blp
    from app.trainings.api.classes import blp as trainings_blp

    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "A personal API token (jiyi_…)."})
    api.spec.options["security"] = [{"bearerAuth": []}]
    for blueprint in (accounts_blp, orgs_blp, competitions_blp, checkin_blp, timetables_blp, station_draws_blp,
                      sessions_blp, judges_blp, judge_panels_blp, scheduling_blp, notifications_blp, scoring_blp,
                      trainings_blp, training_sessions_blp, training_attendance_blp, training_results_blp,
                      certificates_blp, *beside):
        csrf.exempt(blueprint)  # tokens, not cookies, authenticate the API
        api.register_blueprint(blueprint, url_prefix="/api/v1")
    _document_access(app)
    app.register_blueprint(docs_bp)
