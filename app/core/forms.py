"""Small helpers shared by the HTML forms of every feature."""
from __future__ import annotations

from flask import flash

from app.core.errors import DomainError


def show_error(form, error: DomainError) -> None:
    """Put a service's error under the form field it names, or flash it when it names none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [error.message]
    else:
        flash(error.message, "danger")
