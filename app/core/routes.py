"""Pages every feature shares: home, language switch, health checks, the audit log, the icon."""
from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import (Blueprint, current_app, jsonify, redirect, render_template, request, send_from_directory,
                   url_for)
from sqlalchemy import text

from app.core import audit
from app.core.i18n import LANGUAGE_COOKIE
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import public, requires
from app.core.web import local_path
from app.extensions import db, migrate

bp = Blueprint("core", __name__)


@bp.get("/")
@public
def index():
    """The home page: what the signed-in person can do, by role."""
    return render_template("core/index.html")


@bp.get("/language/<code>")
@public
def set_language(code: str):
    """Switch the interface language (kept in a cookie), then go back to the same page."""
    response = redirect(local_path(request.args.get("next")) or url_for("core.index"))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response


@bp.get("/healthz")
@public
def healthz():
    """Liveness: the process answers and the database is reachable."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy", never a 500 page
        current_app.logger.exception("health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


def _migration_heads() -> tuple[set[str], set[str]]:
    config = migrate.get_config()
    script = ScriptDirectory.from_config(config)
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current, set(script.get_heads())


@bp.get("/readyz")
@public
def readyz():
    """Readiness: the database schema is at the newest migration."""
    try:
        current, heads = _migration_heads()
    except Exception:
        current_app.logger.exception("readiness check failed")
        return jsonify(status="error", migrations="unknown"), 503
    if current != heads:
        return jsonify(status="error", migrations="behind", current=sorted(current), head=sorted(heads)), 503
    return jsonify(status="ok", migrations="head", head=sorted(heads))


def _row_id_arg(name: str) -> int | None:
    """An id from the query string; None when it is not one any row can have."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ROW_ID else None


@bp.get("/admin/audit")
@requires("audit.view")
def audit_log():
    """Browse the audit log, newest first, filtered by action, object and actor."""
    filters = {
        "action": request.args.get("action", "").strip()[:64] or None,
        "object_type": request.args.get("object_type", "").strip()[:64] or None,
        "object_id": _row_id_arg("object_id"),
        "actor_id": _row_id_arg("actor_id"),
    }
    page = db.paginate(audit.entries(**filters), per_page=50, error_out=False)
    filter_args = {name: value for name, value in filters.items() if value is not None}
    return render_template("core/audit.html", page=page, filters=filters, filter_args=filter_args)


@bp.get("/favicon.ico")
@public
def favicon():
    """The site's icon, where browsers look for it without being told."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=7 * 24 * 3600)
