"""The person's reminders on a case: their consent to each channel, the state of the reminders for
each coming check-in, and a preview of a reminder as the person will get it.

Registered on the `cases` blueprint."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user

from casework.domain.check_ins import Mode
from casework.domain.roles import Action
from casework.services import check_ins, people, reminders
from casework.web import clock
from casework.web.access import requires
from casework.web.case_display import displayed_case
from casework.web.cases import bp
from casework.web.database import db
from casework.web.forms.fields import submitted_version
from casework.web.forms.messages import ReminderConsentForm
from casework.web.submission import attempt


def channels() -> frozenset[str]:
    return current_app.config["CASEWORK"].messaging.channels


@bp.route("/<int:case_id>/reminders", methods=["GET", "POST"])
@requires(Action.RECORD_CONTACT, team_scoped=True)
def reminders_page(case_id: int):
    record = displayed_case(case_id, Action.RECORD_CONTACT)
    person = record.person
    agreed = [name for name, on in (("email", person.reminder_by_email), ("sms", person.reminder_by_sms)) if on]
    form = ReminderConsentForm(version=person.version, channels=agreed, email=person.email, phone=person.phone)
    if form.validate_on_submit() and attempt(
        form,
        lambda: people.set_reminder_consent(
            db(),
            actor=current_user,
            case=record,
            consent=people.ReminderConsent(
                by_email="email" in form.channels.data,
                by_sms="sms" in form.channels.data,
                email=form.email.data or "",
                phone=form.phone.data or "",
            ),
            seen_version=submitted_version(form.version.data),
            channels=channels(),
            now=clock.now(),
        ),
        refusal_field="channels",
        success="Reminder choices saved.",
    ):
        return redirect(url_for("cases.reminders_page", case_id=case_id))
    now = clock.now()
    coming = [c for c in check_ins.for_case(db(), case=record) if c.is_open and c.scheduled_at > now]
    return render_template(
        "cases/reminders.html",
        case=record,
        form=form,
        enabled=channels(),
        reasons=reminders.why_none(person, channels()),
        hours=reminders.hours_in_force(db(), now=now),
        check_ins=coming,
        sent=reminders.for_check_ins(db(), [c.id for c in check_ins.for_case(db(), case=record)]),
        describe=reminders.describe,
        modes=Mode,
        sms_off=reminders.SMS_OFF,
        email_off=reminders.EMAIL_OFF,
    )


@bp.get("/<int:case_id>/check-ins/<int:check_in_id>/reminder")
@requires(Action.VIEW_CASE, team_scoped=True)
def reminder_preview(case_id: int, check_in_id: int):
    record = displayed_case(case_id, Action.VIEW_CASE)
    check_in = check_ins.get(db(), actor=current_user, case=record, check_in_id=check_in_id)
    return render_template(
        "cases/reminder_preview.html",
        case=record,
        check_in=check_in,
        previews=reminders.preview(db(), case=record, check_in=check_in, channels=channels(), now=clock.now()),
        sent=reminders.for_check_ins(db(), [check_in.id]).get(check_in.id, []),
        describe=reminders.describe,
        modes=Mode,
        sms_off=reminders.SMS_OFF,
        email_off=reminders.EMAIL_OFF,
    )
