"""The team's directory of partner services, kept by supervisors and used by navigators."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from casework.domain.roles import Action
from casework.services import referrals
from casework.services.referrals import ServiceDetails
from casework.web import clock
from casework.web.access import requires
from casework.web.database import db
from casework.web.forms.fields import submitted_version
from casework.web.forms.referrals import EditServiceForm, ServiceForm
from casework.web.submission import attempt

bp = Blueprint("directory", __name__, url_prefix="/directory")


@bp.get("/")
@requires(Action.REFER_TO_PARTNER)
def services():
    listed = referrals.directory(db(), actor=current_user, include_inactive=True)
    return render_template("directory/services.html", services=listed)


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.MANAGE_DIRECTORY)
def new_service():
    form = ServiceForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: referrals.add_service(db(), actor=current_user, details=_details(form), now=clock.now()),
        refusal_field="name",
        success=f"{form.name.data} added to the directory.",
        once=lambda service: url_for("directory.edit_service", service_id=service.id),
    ):
        return redirect(url_for("directory.services"))
    return render_template("directory/service_form.html", form=form, service=None)


@bp.route("/<int:service_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_DIRECTORY, team_scoped=True)
def edit_service(service_id: int):
    service = referrals.get_service(db(), actor=current_user, service_id=service_id)
    form = EditServiceForm(obj=service, version=service.version, active=service.is_active)
    if form.validate_on_submit() and attempt(
        form,
        lambda: referrals.update_service(
            db(),
            actor=current_user,
            service=service,
            details=_details(form),
            active=form.active.data,
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        success=f"{form.name.data} updated.",
    ):
        return redirect(url_for("directory.services"))
    return render_template("directory/service_form.html", form=form, service=service)


def _details(form: ServiceForm) -> ServiceDetails:
    return ServiceDetails(
        name=form.name.data,
        pathway=form.pathway.data,
        data_accepted=form.data_accepted.data,
        phone=form.phone.data or "",
        email=form.email.data or "",
        address=form.address.data or "",
    )
