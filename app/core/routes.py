"""Pages every feature shares: home, language switch, health checks, the audit log, the icon."""
from __future__ import annotations

from datetime import date, datetime, timezone

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import (Blueprint, current_app, jsonify, redirect, render_template, request, send_from_directory,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from app.core import audit_log as audit_view
from app.core import registry
from app.core import excel
from app.core.i18n import LANGUAGE_COOKIE
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import public, requires
from app.core.time import to_local
from app.core.web import local_path, xlsx_download
from app.extensions import db, migrate

bp = Blueprint("core", __name__)

@bp.get("/")
@public
def index():
    """The home page: what is open now, and what the signed-in person can do, by role."""
    # Each section a package declared for the home page (its hooks.py), with its own context.
    sections = [(section.template, section.context(None) if section.context else {})
                for section in registry.current().sections("core.home")]
    return render_template("core/index.html", sections=sections)


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


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "").strip()[:10])
    except ValueError:
        return None


def _audit_filters() -> audit_view.Filters:
    actor = request.args.get("actor_id", "").strip()
    return audit_view.Filters(
        actor_id=_row_id_arg("actor_id"), system=actor == "system",
        object_type=request.args.get("object_type", "").strip()[:64] or None,
        object_id=_row_id_arg("object_id"),
        action=request.args.get("action", "").strip()[:64] or None,
        since=_date_arg("since"), until=_date_arg("until"))


def _query_args(flt: audit_view.Filters) -> dict:
    args = {"actor_id": "system" if flt.system else flt.actor_id, "object_type": flt.object_type,
            "object_id": flt.object_id, "action": flt.action,
            "since": flt.since.isoformat() if flt.since else None,
            "until": flt.until.isoformat() if flt.until else None}
    return {name: value for name, value in args.items() if value is not None}


@bp.get("/admin/audit")
@requires("audit.view")
def audit_log():
    """Browse the audit log, newest first, filtered by person, object, action and date."""
    flt = _audit_filters()
    tz_name = current_app.config["JIYI_TIMEZONE"]
    page = db.paginate(audit_view.visible_entries(current_user, flt, tz_name), per_page=50, error_out=False)
    return render_template("core/audit.html", page=page, lines=audit_view.lines(page.items), filters=flt,
                           filter_args=_query_args(flt), actions=audit_view.action_choices(),
                           object_types=audit_view.object_type_choices())


AUDIT_EXPORT_LIMIT = 10_000


@bp.get("/admin/audit.xlsx")
@requires("audit.view")
def audit_log_export():
    """The filtered audit log as an Excel file (the newest 10,000 lines)."""
    flt = _audit_filters()
    tz_name = current_app.config["JIYI_TIMEZONE"]
    entries = db.session.scalars(audit_view.visible_entries(current_user, flt, tz_name).limit(AUDIT_EXPORT_LIMIT))
    rows = audit_view.export_rows(audit_view.lines(entries), tz_name)
    data = excel.write_workbook([str(h) for h in audit_view.EXPORT_HEADERS], rows, _("Audit log"))
    today = to_local(datetime.now(timezone.utc), tz_name).date()
    return xlsx_download(data, f"{_('Audit log')}-{today:%Y%m%d}.xlsx")


@bp.get("/favicon.ico")
@public
def favicon():
    """The site's icon, where browsers look for it without being told."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=7 * 24 * 3600)
