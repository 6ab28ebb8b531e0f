"""Flask extensions, created unbound here and bound to the app in `create_app`."""
from __future__ import annotations

from flask import has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints make Alembic migrations reproducible on PostgreSQL and SQLite alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _render_migration_type(type_, obj, autogen_context):
    """Autogenerate writes our column types as plain SQLAlchemy ones: migrations never
    import application code, so an old migration still runs after the code has moved on."""
    from app.core.time import UTCDateTime
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


# The largest ?page= a list reads: no list has rows that far, and a larger number would
# overflow the database's OFFSET (SQLite's driver stops at 2**63, PostgreSQL at bigint).
MAX_PAGE = 100_000


class JiyiSQLAlchemy(SQLAlchemy):
    """Flask-SQLAlchemy, with the page a list reads from ?page= kept within MAX_PAGE."""

    def paginate(self, select, *, page=None, **kwargs):
        if page is None and has_request_context():
            page = min(request.args.get("page", 1, type=int), MAX_PAGE)
        return super().paginate(select, page=page, **kwargs)


db = JiyiSQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True, render_item=_render_migration_type)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
