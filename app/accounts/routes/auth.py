"""Sign-in, sign-up, sign-out, password reset, invitations, and the person's own account."""
from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import bp
from app.accounts.forms.auth import (ChangePasswordForm, ConfirmForm, ForgotPasswordForm, LoginForm,
                                     SetPasswordForm, SignUpForm, TokenForm)
from app.accounts.forms.people import PersonForm
from app.accounts.routes.people import fill_person_form, person_fields_from
from app.accounts.services import auth, people, tokens
from app.accounts.services.sign_in_limits import MustWait
from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.permissions import public, signed_in
from app.core.web import local_path
from app.extensions import limiter


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect to another host after signing in."""
    return local_path(target) or url_for("core.index")



@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])
def login():
    """Sign in with phone, e-mail or username."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = auth.authenticate(form.identifier.data, form.password.data)
        except MustWait as error:
            flash(error.message, "danger")
            response = make_response(render_template("accounts/login.html", form=form), error.status)
            response.headers["Retry-After"] = str(error.retry_after)
            return response
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("The account or the password is not correct."), "danger")
        return render_template("accounts/login.html", form=form), 401
    return render_template("accounts/login.html", form=form), 422 if form.errors else 200


@bp.post("/logout")
@signed_in
def logout():
    """Sign out of this browser."""
    form = ConfirmForm()
    if form.validate_on_submit():
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("core.index"))


@bp.route("/signup", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])
def signup():
    """A contestant or trainee creates an account."""
    form = SignUpForm()
    if validate_all(form, lambda: auth.check_sign_up(form.full_name.data, form.phone.data, form.email.data,
                                                     form.password.data)):
        try:
            user = auth.sign_up(form.full_name.data, form.phone.data, form.email.data, form.password.data)
        except DomainError as error:
            show_error(form, error)
            return render_template("accounts/signup.html", form=form), error.status
        login_user(user)
        flash(_("Welcome! Please complete your profile."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/signup.html", form=form), 422 if form.errors else 200


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit("5 per minute", methods=["POST"])
def forgot_password():
    """Ask for a password reset link; the answer is the same whether the account exists or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        auth.request_password_reset(form.identifier.data)
        flash(_("If an account with an e-mail address matches, we have sent it a link. It works for %(n)d minutes.",
                n=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form), 422 if form.errors else 200


def _set_password_page(token: str, link_user, action, title: str):
    if request.method == "GET":
        try:
            link_user(token)  # a used or expired link says so now, not after a password is typed
        except DomainError as error:
            return render_template("accounts/set_password.html", form=None, title=title,
                                   link_error=error.message), error.status
    form = SetPasswordForm()
    if validate_all(form, lambda: auth.check_password_rules(form.password.data or "")):
        try:
            action(token, form.password.data)
        except DomainError as error:
            show_error(form, error)
            return render_template("accounts/set_password.html", form=form, title=title), error.status
        flash(_("Your password is set; please sign in. Any API tokens of this account are revoked."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/set_password.html", form=form, title=title), 422 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])
def reset_password(token: str):
    """Set a new password through the link from the reset e-mail."""
    return _set_password_page(token, auth.reset_link_user, auth.reset_password, _("Choose a new password"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])
def accept_invitation(token: str):
    """An invited person sets their first password."""
    return _set_password_page(token, auth.invitation_link_user, auth.accept_invitation,
                              _("Welcome — choose your password"))


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def profile():
    """The signed-in person's own profile."""
    person = current_user.person
    form = PersonForm(obj=None if request.method == "POST" else person)
    fill_person_form(form, person if request.method == "GET" else None, own_profile=True)
    if validate_all(form, lambda: people.check_person(person_fields_from(form), person)):
        try:
            people.update_own_profile(current_user, person_fields_from(form))
        except DomainError as error:
            show_error(form, error)
            return render_template("accounts/profile.html", form=form, person=person), error.status
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, person=person), 422 if form.errors else 200


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    """Change one's own password (signs out other sessions)."""
    form = ChangePasswordForm()
    if validate_all(form, lambda: auth.check_password_change(current_user, form.current_password.data,
                                                              form.password.data)):
        try:
            auth.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            show_error(form, error)
            return render_template("accounts/change_password.html", form=form), error.status
        login_user(current_user._get_current_object())  # the session token changed: keep this session signed in
        flash(_("Your password is changed. Your API tokens are revoked; make new ones if you need them."),
              "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form), 422 if form.errors else 200


@bp.route("/account/tokens", methods=["GET", "POST"])
@signed_in
def api_tokens():
    """List, create and revoke one's own API tokens; a new token is shown once."""
    form = TokenForm()
    new_token = None
    status = 200
    if form.validate_on_submit():
        try:
            _, new_token = tokens.create_token(current_user, form.name.data)
        except DomainError as error:
            show_error(form, error)
            status = error.status
    elif form.errors:
        status = 422
    return render_template("accounts/tokens.html", form=form, tokens=tokens.tokens_of(current_user),
                           new_token=new_token, revoke_form=ConfirmForm()), status


@bp.post("/account/tokens/<int:token_id>/revoke")
@signed_in
def revoke_api_token(token_id: int):
    """Revoke one of one's own API tokens."""
    if ConfirmForm().validate_on_submit():
        tokens.revoke_token(current_user, token_id)
        flash(_("The token is revoked."), "info")
    return redirect(url_for("accounts.api_tokens"))
