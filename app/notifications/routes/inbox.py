"""A person's inbox (the bell's page), opening a message, and their e-mail preferences."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import DomainError
from app.core.forms import show_error
from app.core.permissions import signed_in
from app.extensions import db
from app.notifications import bp
from app.notifications.forms.inbox import ActionForm, field_name, preferences_form
from app.notifications.services import inbox, preferences

PER_PAGE = 20


@bp.get("/notifications")
@signed_in
def inbox_page():
    """The signed-in person's messages, newest first, unread ones marked."""
    unread_only = request.args.get("unread") == "1"
    page = db.paginate(inbox.inbox_query(current_user.id, unread_only=unread_only), per_page=PER_PAGE,
                       error_out=False)
    return render_template("notifications/inbox.html", page=page, unread_only=unread_only,
                           unread=inbox.unread_count(current_user.id), form=ActionForm())


@bp.get("/notifications/<int:notification_id>")
@signed_in
def open_message(notification_id: int):
    """Open a message: it is read now; go to what it is about, or show it when it links nowhere."""
    try:
        message = inbox.mark_read(current_user.id, notification_id)
    except DomainError:
        abort(404)
    if message.link:
        return redirect(message.link)
    return render_template("notifications/message.html", message=message)


@bp.post("/notifications/<int:notification_id>/read")
@signed_in
def mark_read(notification_id: int):
    """Mark one message read and go back to the inbox."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        inbox.mark_read(current_user.id, notification_id)
    except DomainError:
        abort(404)
    return redirect(url_for(".inbox_page"))


@bp.post("/notifications/read-all")
@signed_in
def mark_all_read():
    """Mark every message read."""
    if not ActionForm().validate_on_submit():
        abort(400)
    count = inbox.mark_all_read(current_user.id)
    flash(_("%(count)d messages marked read.", count=count), "success")
    return redirect(url_for(".inbox_page"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@signed_in
def preferences_page():
    """Which kinds of message also come by e-mail (in-app messages always arrive)."""
    choices = preferences.choices_of(current_user.id)
    form = preferences_form(choices)
    if form.validate_on_submit():
        try:
            preferences.choose(current_user.id, {c.kind: form[field_name(c.kind)].data for c in choices})
        except DomainError as error:
            show_error(form, error)
            return render_template("notifications/preferences.html", form=form, choices=choices), error.status
        flash(_("Your choices are saved."), "success")
        return redirect(url_for(".preferences_page"))
    status = 422 if form.errors else 200
    return render_template("notifications/preferences.html", form=form, choices=choices), status
