"""The force administrator's account management."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from casework.domain.errors import FieldError, IllegalTransition, StaleRecord
from casework.domain.roles import Action, Role
from casework.services import accounts, schemes
from casework.services.accounts import AccountDetails
from casework.web import clock
from casework.web.access import requires
from casework.web.addresses import record_number
from casework.web.database import db
from casework.web.forms.admin import EditUserForm, UserForm, VersionedActionForm
from casework.web.forms.fields import submitted_version
from casework.web.forms.scheme import CHOICE_LABELS, LABELS, scheme_form
from casework.web.submission import attempt

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@requires(Action.MANAGE_USERS)
def users():
    return render_template("admin/users.html", users=accounts.list_users(db(), actor=current_user))


@bp.route("/users/new", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def new_user():
    form = _with_team_choices(UserForm())
    if form.validate_on_submit():
        try:
            user = accounts.create_user(db(), actor=current_user, details=_details(form), now=clock.now())
            token = accounts.issue_passphrase_link(db(), actor=current_user, user=user, now=clock.now())
        except FieldError as problem:
            db().rollback()
            getattr(form, problem.field).errors.append(problem.message)
        else:
            db().commit()
            return _show_link(user, token, created=True)
    return render_template("admin/user_form.html", form=form, user=None)


@bp.get("/users/<int:user_id>")
@requires(Action.MANAGE_USERS)
def user(user_id: int):
    subject = accounts.get_user(db(), actor=current_user, user_id=user_id)
    return _user_page(subject)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def edit_user(user_id: int):
    subject = accounts.get_user(db(), actor=current_user, user_id=user_id)
    form = _with_team_choices(EditUserForm(obj=subject, roles=sorted(subject.roles), version=subject.version))
    if form.validate_on_submit() and attempt(
        form,
        lambda: accounts.update_user(
            db(),
            actor=current_user,
            user=subject,
            details=_details(form, subject.username),
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        success=f"{subject.full_name}'s account has been updated.",
    ):
        return redirect(url_for("admin.user", user_id=subject.id))
    return render_template("admin/user_form.html", form=form, user=subject)


@bp.post("/users/<int:user_id>/deactivate")
@requires(Action.MANAGE_USERS)
def deactivate(user_id: int):
    return _account_action(user_id, accounts.deactivate_user, "{name}'s account has been deactivated and signed out.")


@bp.post("/users/<int:user_id>/reactivate")
@requires(Action.MANAGE_USERS)
def reactivate(user_id: int):
    return _account_action(user_id, accounts.reactivate_user, "{name}'s account has been reactivated.")


@bp.post("/users/<int:user_id>/passphrase-link")
@requires(Action.MANAGE_USERS)
def passphrase_link(user_id: int):
    subject = accounts.get_user(db(), actor=current_user, user_id=user_id)
    form = VersionedActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("admin.user", user_id=user_id))
    try:
        token = accounts.issue_passphrase_link(db(), actor=current_user, user=subject, now=clock.now())
    except IllegalTransition as refusal:
        db().rollback()
        return _refused(subject, refusal.message)
    db().commit()
    return _show_link(subject, token, created=False)


@bp.get("/scheme")
@requires(Action.CONFIGURE_SCHEME)
def scheme():
    today = clock.today()
    history = schemes.settings_history(db(), actor=current_user, today=today)
    current = schemes.settings_on(db(), today)
    return render_template(
        "admin/scheme.html", current=current, history=history, labels=LABELS, choice_labels=CHOICE_LABELS
    )


@bp.route("/scheme/change", methods=["GET", "POST"])
@requires(Action.CONFIGURE_SCHEME)
def change_scheme():
    """A new version, or (from the history's "Correct" link) a correction of one not yet in force."""
    chosen = request.args.get("version", type=record_number)
    if chosen:
        base = schemes.settings_version(db(), actor=current_user, settings_id=chosen)
    else:
        base = schemes.settings_on(db(), clock.today())
    form = scheme_form(formdata=request.form if request.method == "POST" else None, **_shown(base, chosen))
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in schemes.EDITABLE}
        values.update({flag: values[flag] == "yes" for flag in schemes.FLAGS})
        if attempt(
            form,
            lambda: schemes.change_settings(
                db(),
                actor=current_user,
                values=values,
                effective_from=form.effective_from.data,
                reason=form.change_reason.data,
                now=clock.now(),
            ),
            refusal_field="change_reason",
            success="The scheme settings have been saved.",
        ):
            return redirect(url_for("admin.scheme"))
    return render_template(
        "admin/scheme_form.html", form=form, numbers=schemes.NUMBER_RANGES, correcting=base if chosen else None
    )


def _shown(settings, correcting: int | None) -> dict:
    """The form's starting values: a correction starts from the version and its date."""
    values = {name: getattr(settings, name) for name in schemes.EDITABLE}
    values.update({flag: "yes" if values[flag] else "no" for flag in schemes.FLAGS})
    if correcting:
        values["effective_from"] = settings.effective_from
    return values


def _account_action(user_id: int, service, done: str):
    subject = accounts.get_user(db(), actor=current_user, user_id=user_id)
    form = VersionedActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("admin.user", user_id=user_id))
    try:
        service(
            db(), actor=current_user, user=subject, seen_version=submitted_version(form.version.data), now=clock.now()
        )
    except (IllegalTransition, StaleRecord) as refusal:
        db().rollback()
        return _refused(subject, refusal.message)
    db().commit()
    flash(done.format(name=subject.full_name), "success")
    return redirect(url_for("admin.user", user_id=user_id))


def _refused(subject, message: str):
    db().expire_all()
    fresh = accounts.get_user(db(), actor=current_user, user_id=subject.id)
    return _user_page(fresh, refusal=message), 409


def _user_page(subject, **extra):
    signed_in = accounts.last_signed_in(db(), [subject]).get(subject.id)
    form = VersionedActionForm(version=subject.version)
    return render_template("admin/user.html", user=subject, last_signed_in=signed_in, action_form=form, **extra)


def _show_link(subject, token: str, *, created: bool):
    link = url_for("auth.set_passphrase", token=token, _external=True)
    return render_template("admin/passphrase_link.html", user=subject, link=link, created=created)


def _with_team_choices(form):
    form.team_id.choices = [(0, "Select a team")] + [(t.id, t.name) for t in accounts.list_teams(db())]
    return form


def _details(form, username: str | None = None) -> AccountDetails:
    return AccountDetails(
        username=username or form.username.data,
        full_name=form.full_name.data,
        email=form.email.data,
        organisation=form.organisation.data,
        team_id=form.team_id.data,
        roles=frozenset(Role(value) for value in form.roles.data),
    )
