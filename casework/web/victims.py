"""The victim on a case: the case record's Victim section, the details recorded at the offer (custody)
and later (navigator, supervisor), each update given; the supervisor's lists of victim updates due
and of reoffending checks due."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from casework.domain import victims as rules
from casework.domain.roles import Action
from casework.services import reoffending_follow_ups, victim_updates, victims
from casework.services.victims import VictimDetails
from casework.web import clock
from casework.web.access import requires
from casework.web.addresses import record_number
from casework.web.case_display import displayed_case
from casework.web.case_sections import _section, case_record_for
from casework.web.database import db
from casework.web.forms.fields import submitted_version
from casework.web.forms.victims import FollowUpResultForm, UpdateGivenForm, VictimAtOfferForm, VictimForm
from casework.web.submission import attempt

bp = Blueprint("victims", __name__)


@bp.app_context_processor
def _labels():
    # victim_updates_due() is called only by the supervisor home's partial, so other pages pay nothing.
    return {
        "victim_rules": rules,
        "victim_updates_due": lambda: victim_updates.due_for_team(db(), actor=current_user, today=clock.today()),
    }


@bp.get("/cases/<int:case_id>/victim")
@requires(Action.VIEW_CASE, team_scoped=True)
def section(case_id: int):
    record = case_record_for(case_id, Action.VIEW_CASE)
    case = record.case
    refusal = victims.access_refusal(current_user, case)
    return _section(
        "victims/section.html",
        record,
        refusal=refusal,
        victim=None if refusal else victims.for_case(db(), case=case),
        updates=[] if refusal else victim_updates.for_case(db(), case=case),
        follow_ups=[] if refusal else reoffending_follow_ups.for_case(db(), case=case),
        checklist_views=victims.checklist_views(case),
        today=clock.today(),
    )


@bp.route("/cases/<int:case_id>/victim/details", methods=["GET", "POST"])
@requires(Action.RECORD_VICTIM_CONTACT, team_scoped=True)
def details(case_id: int):
    record = displayed_case(case_id, Action.RECORD_VICTIM_CONTACT)
    refusal = victims.access_refusal(current_user, record)
    existing = None if refusal else victims.for_case(db(), case=record)
    form = VictimForm(obj=_shown(existing), version=existing.version if existing else 0)
    if not refusal and form.validate_on_submit():
        save = victims.record_later
        if attempt(
            form, lambda: save(**_saving(form, record, views=form.views.data)), success="Victim's details saved."
        ):
            return redirect(url_for("victims.section", case_id=case_id))
    back = url_for("victims.section", case_id=case_id)
    return render_template("victims/details.html", case=record, form=form, refusal=refusal, back=back, at_offer=False)


@bp.route("/custody/cases/<int:case_id>/victim", methods=["GET", "POST"])
@requires(Action.OPEN_CASE, team_scoped=True)
def at_offer(case_id: int):
    record = displayed_case(case_id, Action.OPEN_CASE)
    refusal = victims.offer_refusal(current_user, record)
    existing = None if refusal else victims.for_case(db(), case=record)
    form = VictimAtOfferForm(obj=_shown(existing), version=existing.version if existing else 0)
    if not refusal and form.validate_on_submit():
        save = victims.record_at_offer
        if attempt(form, lambda: save(**_saving(form, record, views=None)), success="Victim's details saved."):
            return redirect(url_for("custody.check_answers", case_id=case_id))
    checklist = rules.FROM_CHECKLIST.get(victims.checklist_views(record))
    back = url_for("custody.check_answers", case_id=case_id)
    return render_template(
        "victims/details.html", case=record, form=form, refusal=refusal, back=back, at_offer=True, checklist=checklist
    )


def _shown(existing):
    """The saved record as the form shows it: booleans as yes/no, no enhanced ground as "No"."""
    if existing is None:
        return None
    shown = {c: getattr(existing, c) for c in ("views", "not_sought_reason", "views_in_words", "contact_method")}
    shown |= {c: getattr(existing, c) or "" for c in ("contact_name", "contact_phone", "contact_email")}
    shown |= {"contact_address": existing.contact_address or "", "enhanced_ground": existing.enhanced_ground or ""}
    shown |= {c: "yes" if getattr(existing, c) else "no" for c in ("wants_restorative", "wants_updates")}
    return type("Shown", (), shown)


def _saving(form, record, *, views: str | None) -> dict:
    def answer(field):
        return {"yes": True, "no": False}.get(field.data)

    return dict(
        session=db(),
        actor=current_user,
        case=record,
        details=VictimDetails(
            views=views,
            not_sought_reason=form.not_sought_reason.data or "",
            views_in_words=form.views_in_words.data or "",
            wants_restorative=answer(form.wants_restorative),
            enhanced_ground=form.enhanced_ground.data or None,
            wants_updates=answer(form.wants_updates),
            contact_method=form.contact_method.data or "",
            contact_name=form.contact_name.data or "",
            contact_phone=form.contact_phone.data or "",
            contact_email=form.contact_email.data or "",
            contact_address=form.contact_address.data or "",
        ),
        seen_version=submitted_version(form.version.data),
        now=clock.now(),
    )


@bp.route("/cases/<int:case_id>/victim/update", methods=["GET", "POST"])
@requires(Action.RECORD_VICTIM_CONTACT, team_scoped=True)
def update_given(case_id: int):
    record = displayed_case(case_id, Action.RECORD_VICTIM_CONTACT)
    refusal = victims.access_refusal(current_user, record)
    if refusal:
        return render_template("victims/update.html", case=record, refusal=refusal, update=None, form=None)
    owed = victim_updates.chosen(
        db(), actor=current_user, case=record, update_id=request.args.get("update", type=record_number)
    )
    if owed is None:
        return render_template("victims/update.html", case=record, refusal=None, update=None, form=None)
    form = UpdateGivenForm(version=owed.version)
    if form.validate_on_submit() and attempt(
        form,
        lambda: victim_updates.record_given(
            db(),
            actor=current_user,
            update=owed,
            given_on=form.given_on.data,
            method=form.method.data,
            summary=form.summary.data,
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        success="Update to the victim recorded.",
    ):
        return redirect(url_for("victims.section", case_id=case_id))
    return render_template("victims/update.html", case=record, refusal=None, update=owed, form=form)


@bp.get("/victim-updates")
@requires(Action.VIEW_TEAM)
def updates_due():
    return render_template("victims/updates_due.html")


@bp.get("/reoffending-follow-ups")
@requires(Action.VIEW_TEAM)
def follow_ups_due():
    due, later = reoffending_follow_ups.due_for_team(db(), actor=current_user, today=clock.today())
    return render_template("victims/follow_ups_due.html", due=due, later=later)


@bp.route("/reoffending-follow-ups/result", methods=["GET", "POST"])
@requires(Action.VIEW_TEAM)
def follow_up_result():
    task = reoffending_follow_ups.get(db(), actor=current_user, task_id=request.args.get("task", type=record_number))
    displayed_case(task.case_id, Action.VIEW_TEAM)  # the page names the person: a consultation
    form = FollowUpResultForm(version=task.version)
    if form.validate_on_submit() and attempt(
        form,
        lambda: reoffending_follow_ups.record_result(
            db(),
            actor=current_user,
            task=task,
            result=form.result.data,
            source=form.source.data,
            source_detail=form.source_detail.data or "",
            checked_on=form.checked_on.data,
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        success="Result of the reoffending check recorded.",
    ):
        return redirect(url_for("victims.follow_ups_due"))
    return render_template("victims/follow_up_result.html", task=task, form=form)
