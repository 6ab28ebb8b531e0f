"""Jiyi (技艺): competitions, trainings, judges and certificates for a workers' association."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask


def create_app(overrides: dict | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, CLI and error handlers."""
    from app import config

    app = Flask(__name__, instance_path=str(config.INSTANCE_DIR))
    app.config.update(config.DEFAULTS)
    app.config.update(config.from_environment())
    app.config.update(overrides or {})
    config.check_production_settings(app.config)
    Path(app.instance_path).mkdir(exist_ok=True)  # the embedded SQLite database lives here
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.core import headers, i18n, input_limits, permissions, web
    from app.core.errors import register_error_handlers
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    register_error_handlers(app)
    app.before_request(permissions.enforce_access)
    input_limits.init_app(app)  # after the access check: strangers are sent to sign in first
    web.init_app(app)
    headers.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from app.accounts import bp as accounts_bp
    from app.api import init_api
    from app.core.routes import bp as core_bp
    from app.competitions import bp as competitions_bp
    from app.judges import bp as judges_bp
    from app.orgs import bp as orgs_bp
    from app.scheduling import bp as scheduling_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(orgs_bp)
    app.register_blueprint(competitions_bp)
    app.register_blueprint(judges_bp)
    app.register_blueprint(scheduling_bp)
    init_api(app)


def _register_cli(app: Flask) -> None:
    from app.accounts.cli import register as register_accounts_cli
    from app.demo import seed_demo_command
    from app.notifications.cli import outbox_cli

    app.cli.add_command(outbox_cli)
    app.cli.add_command(seed_demo_command)
    register_accounts_cli(app)
