"""The JSON API under /api/v1: token authentication, OpenAPI document, docs page.

Each feature writes its resources in its own `api.py` (or `api/`) with a flask-smorest
Blueprint and the shared schemas of app.core.api_schemas; this package binds them to the
one `Api` object that generates the OpenAPI 3 document.
flask-smorest was chosen because it works with a plain Flask app and `init_app`, validates
input and output with marshmallow schemas in one place per resource, and builds the
document from the same schemas, so the document cannot drift from the code.

Contents:
    (nothing yet)
"""
from __future__ import annotations

from flask import Blueprint, Flask, render_template
from flask_smorest import Api

from app.core.permissions import public
from app.extensions import csrf


class JiyiApi(Api):
    """flask-smorest's Api, with errors answered by app.core.errors in our JSON shape."""

    def _register_error_handlers(self):
        pass


api = JiyiApi(spec_kwargs={"info": {"description": "Jiyi (技艺) — competitions, trainings, judges, certificates."}})
docs_bp = Blueprint("api_docs", __name__)


@docs_bp.get("/api/v1/docs")
@public
def docs():
    """An interactive page for the OpenAPI document, served without any CDN."""
    return render_template("api/docs.html")


def init_api(app: Flask) -> None:
    from app.accounts.api import blp as accounts_blp
    from app.competitions.api import blp as competitions_blp
    from app.judges.api.pool import blp as judges_blp
    from app.judges.api.panels import blp as judge_panels_blp
    from app.orgs.api import blp as orgs_blp
    from app.scheduling.api import blp as scheduling_blp

    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "A personal API token (jiyi_…)."})
    api.spec.options["security"] = [{"bearerAuth": []}]
    for blueprint in (accounts_blp, orgs_blp, competitions_blp, judges_blp, judge_panels_blp,
                      scheduling_blp):
        csrf.exempt(blueprint)  # tokens, not cookies, authenticate the API
        api.register_blueprint(blueprint, url_prefix="/api/v1")
    app.register_blueprint(docs_bp)
