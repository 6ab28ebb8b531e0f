"""The public results pages (成绩公示): no sign-in, any phone. Every published event (or
stage) with its current version; one result's current version, with the date it was
published and the older versions listed; an older version by its number."""
from __future__ import annotations

from flask import abort, render_template

from app.core.permissions import public
from app.extensions import db
from app.scoring import bp
from app.scoring.models import MarkingScheme
from app.scoring.services import publication


@bp.get("/results")
@public
def public_results():
    """Every published result, the newest first."""
    return render_template("scoring/public_results.html", published=publication.published_schemes())


def _result_page(scheme_id: int, number: int | None):
    scheme = db.session.get(MarkingScheme, scheme_id) if scheme_id < 2**31 else None
    versions = publication.snapshots_of(scheme) if scheme is not None and scheme.deleted_at is None else []
    if not versions:
        abort(404)
    shown = versions[0] if number is None else next((v for v in versions if v.number == number), None)
    if shown is None:
        abort(404)
    return render_template("scoring/public_result.html", scheme=scheme, snapshot=shown, current=versions[0],
                           versions=versions, rows=publication.public_rows(shown))


@bp.get("/results/<int:scheme_id>")
@public
def public_result(scheme_id: int):
    """A published result's current version."""
    return _result_page(scheme_id, None)


@bp.get("/results/<int:scheme_id>/v/<int:number>")
@public
def public_result_version(scheme_id: int, number: int):
    """An older version of a published result."""
    return _result_page(scheme_id, number)
