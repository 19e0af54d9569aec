"""Signing in and out, and setting a passphrase from a one-time link."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from casework.domain.errors import NotFound, SignInRefused
from casework.domain.roles import home_endpoint
from casework.services import accounts, authentication, sign_in_throttle, unsaved_forms
from casework.services.sign_in_throttle import Origin
from casework.web import clock
from casework.web.access import public, signed_in
from casework.web.database import db
from casework.web.forms.auth import PassphraseForm, SignInForm, SignOutForm
from casework.web.return_paths import safe_next
from casework.web.security import KEPT_FORM_KEY, SESSION_TOKEN_KEY
from casework.web.submission import attempt

bp = Blueprint("auth", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user.primary_role)))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            signed = authentication.sign_in(
                db(),
                username=form.username.data,
                passphrase=form.passphrase.data,
                now=clock.now(),
                # Behind a reverse proxy this is the proxy's address unless ProxyFix is configured.
                origin=Origin(address=request.remote_addr, secret=current_app.secret_key),
            )
        except SignInRefused as refusal:
            db().commit()  # the failure, its counters and any audit event are the point here
            form.username.errors.append(refusal.message)
        else:
            db().commit()
            kept = session.get(KEPT_FORM_KEY)
            session.clear()  # a fresh cookie at sign-in: no session fixation
            session[SESSION_TOKEN_KEY] = signed.token
            login_user(signed.user)
            if unsaved_forms.waiting(db(), user=signed.user, session_id=kept, now=clock.now()):
                session[KEPT_FORM_KEY] = kept  # what they posted after timing out comes first
                return redirect(url_for("signed_in_session.unsaved"))
            return redirect(safe_next(request.args.get("next")) or url_for(home_endpoint(signed.user.primary_role)))
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
@signed_in
def sign_out():
    form = SignOutForm()
    if form.validate_on_submit():
        authentication.sign_out(db(), user=current_user, token=session.get(SESSION_TOKEN_KEY, ""), now=clock.now())
        db().commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/passphrase/<token>", methods=["GET", "POST"])
@public
def set_passphrase(token: str):
    try:
        link = accounts.find_link(db(), token=token, now=clock.now())
    except NotFound as missing:
        return render_template("auth/link_expired.html", message=missing.message), 404
    form = PassphraseForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: accounts.set_passphrase_from_link(
            db(), token=token, passphrase=form.passphrase.data, confirmation=form.confirmation.data, now=clock.now()
        ),
        refusal_field="passphrase",
    ):
        logout_user()
        session.clear()  # after this, so the message survives it
        flash("Your passphrase has been saved. Sign in with it now.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/set_passphrase.html", form=form, user=link.user)


@bp.app_template_filter("typed_username")
def typed_username(detail: dict) -> str:
    """A failed sign-in's username that names no account, as the audit pages show it. Events written
    before usernames were digested hold what was typed: it is digested here, never shown."""
    reference = detail.get("username_ref") or sign_in_throttle.username_reference(
        current_app.secret_key, str(detail.get("username", ""))
    )
    return f"an unknown username (ref {reference})"
