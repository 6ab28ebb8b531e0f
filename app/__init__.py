"""Jiyi (技艺): competitions, trainings, judges and certificates for a workers' association."""
from __future__ import annotations

import logging
from pathlib import Path
from types import ModuleType

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
    _load_hooks(app)
    _register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.accounts import authenticate_api_request
    from app.core import headers, i18n, input_limits, permissions, request_path, transaction, web
    from app.core.errors import register_error_handlers
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        request_path.watch_idle_connections(db.engine)
    request_path.init_app(app)  # no cookie session for the API
    transaction.init_app(app)  # every request one unit of work: first registered, so its hook runs last
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    request_path.spare_the_api_rate_limits(limiter)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    register_error_handlers(app)
    app.before_request(authenticate_api_request)  # a token's user, set before anything asks for it
    app.before_request(permissions.enforce_access)
    input_limits.init_app(app)  # after the access check: strangers are sent to sign in first
    web.init_app(app)
    headers.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from app.accounts import bp as accounts_bp
    from app.certificates import bp as certificates_bp
    from app.api import init_api
    from app.core.routes import bp as core_bp
    from app.competitions import bp as competitions_bp
    from app.jobs import bp as jobs_bp
    from app.jobs.api import blp as jobs_api_blp
    from app.judges import bp as judges_bp
    from app.notifications import bp as notifications_bp
    from app.orgs import bp as orgs_bp
    from app.scheduling import bp as scheduling_bp
    from app.scoring import bp as scoring_bp
    from app.trainings import bp as trainings_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(orgs_bp)
    app.register_blueprint(competitions_bp)
    app.register_blueprint(judges_bp)
    app.register_blueprint(scheduling_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(scoring_bp)
    app.register_blueprint(trainings_bp)
    app.register_blueprint(certificates_bp)
    init_api(app, beside=(jobs_api_blp,))


def package_hooks() -> list[ModuleType]:
    """Every package's hooks.py: what it adds to the shared pages and rules, bottom floor
    first. A new package adds its hooks module here, and nothing anywhere else."""
    from app.accounts import hooks as accounts_hooks
    from app.certificates import hooks as certificates_hooks
    from app.competitions import hooks as competitions_hooks
    from app.core import hooks as core_hooks
    from app.jobs import hooks as jobs_hooks
    from app.judges import hooks as judges_hooks
    from app.notifications import hooks as notifications_hooks
    from app.orgs import hooks as orgs_hooks
    from app.scheduling import hooks as scheduling_hooks
    from app.scoring import hooks as scoring_hooks
    from app.trainings import hooks as trainings_hooks

    return [core_hooks, notifications_hooks, orgs_hooks, accounts_hooks, scheduling_hooks, judges_hooks,
            competitions_hooks, trainings_hooks, scoring_hooks, certificates_hooks, jobs_hooks]


def _load_hooks(app: Flask) -> None:
    from app.core import menu, registry

    registry.init_app(app, package_hooks())
    menu.init_app(app)


def _register_cli(app: Flask) -> None:
    """Each package's `flask` commands, listed in its cli.py (app.core.cli says how they run)."""
    from app import demo
    from app.accounts import cli as accounts_cli
    from app.competitions import cli as competitions_cli
    from app.jobs import cli as jobs_cli
    from app.judges import cli as judges_cli
    from app.notifications import cli as notifications_cli
    from app.scoring import cli as scoring_cli

    for package_cli in (accounts_cli, notifications_cli, judges_cli, competitions_cli, scoring_cli, jobs_cli, demo):
        for command in package_cli.COMMANDS:
            app.cli.add_command(command)
