"""Each signed-in user's notification settings: how they hear about each kind of event. Only ever
their own: the page takes no user id, and the service refuses anyone else."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from casework.domain.notifications import Event
from casework.services import staff_notifications
from casework.web import clock
from casework.web.access import signed_in
from casework.web.database import db
from casework.web.forms.messages import notification_form
from casework.web.submission import attempt

bp = Blueprint("notifications", __name__, url_prefix="/account")


@bp.route("/notifications", methods=["GET", "POST"])
@signed_in
def settings():
    current = staff_notifications.choices_for(db(), user=current_user)
    form = notification_form(
        formdata=request.form if request.method == "POST" else None,
        **{event.value: choice.value for event, choice in current.items()},
    )
    if form.validate_on_submit() and attempt(
        form,
        lambda: staff_notifications.set_choices(
            db(),
            actor=current_user,
            user=current_user,
            choices={event.value: form[event.value].data for event in Event},
            now=clock.now(),
        ),
        success="Your notification settings have been saved.",
    ):
        return redirect(url_for("notifications.settings"))
    return render_template(
        "notifications/settings.html",
        form=form,
        events=Event,
        recent=staff_notifications.recent_for(db(), user=current_user),
    )
