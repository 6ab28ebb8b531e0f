"""Staff: e-mail given up on after every retry (dead letters), and sending one again."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import DomainError
from app.core.permissions import EVERYWHERE, requires
from app.extensions import db
from app.notifications import bp
from app.notifications.forms.inbox import ActionForm
from app.notifications.services import outbox

MANAGE = "notifications.outbox"


@bp.get("/manage/outbox/undelivered")
@requires(MANAGE, scope=EVERYWHERE)
def dead_letters():
    """Undelivered e-mail: to whom, what, how often tried and the last error (never the body:
    it may hold a sign-in link meant for its reader only)."""
    page = db.paginate(outbox.dead_letters_query(), per_page=50, error_out=False)
    return render_template("notifications/dead_letters.html", page=page, form=ActionForm())


@bp.post("/manage/outbox/<int:message_id>/retry")
@requires(MANAGE, scope=EVERYWHERE)
def retry(message_id: int):
    """Put one undelivered e-mail back in the outbox, with all its attempts again."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        outbox.retry_dead_letter(message_id, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return render_template("notifications/dead_letters.html",
                               page=db.paginate(outbox.dead_letters_query(), per_page=50, error_out=False),
                               form=ActionForm()), error.status
    flash(_("The e-mail is back in the outbox and goes out with the next delivery."), "success")
    return redirect(url_for(".dead_letters"))
