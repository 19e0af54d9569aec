"""Navigators' and supervisors' caseload, and the case's action pages: first contact, the needs
assessment, referrals, allocation and acceptance. The case record's sections are in case_sections.py."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from casework.domain.clock import from_local
from casework.domain.lifecycle import CaseState
from casework.domain.needs import DOMAIN_LABELS
from casework.domain.referrals import NEXT_STATUSES, ReferralStatus
from casework.domain.roles import Action
from casework.services import allocation, assessment, caseload, cases, referral_checks, referrals
from casework.services.caseload import CaseloadQuery, Sort, Tab
from casework.web import clock
from casework.web.access import requires
from casework.web.addresses import record_number
from casework.web.case_display import displayed_case
from casework.web.database import db
from casework.web.forms.cases import (
    AcceptanceForm,
    AllocationForm,
    CaseloadFilterForm,
    FirstContactForm,
)
from casework.web.forms.fields import submitted_version
from casework.web.forms.referrals import ReferralForm, ReferralUpdateForm
from casework.web.submission import attempt

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.get("/")
@requires(Action.VIEW_CASE)
def caseload_page():
    return render_caseload(heading="Cases")


def render_caseload(*, heading: str, outcomes_to_record: int = 0):
    """The caseload tabs; the navigator's home page is the same list under its own heading."""
    form = CaseloadFilterForm(request.args)
    # Filters that cannot be used (a search too long, a status no case has) are shown as errors by
    # their fields, keeping what was typed, and the list is shown unfiltered rather than guessed at.
    usable = "search" not in request.args or form.validate()
    tab = request.args.get("tab", "mine")
    query = CaseloadQuery(
        tab=Tab(tab) if tab in Tab._value2member_map_ else Tab.MINE,
        state=CaseState(form.state.data) if usable and form.state.data in CaseState._value2member_map_ else None,
        search=(form.search.data or "") if usable else "",
        sort=Sort(form.sort.data) if usable and form.sort.data in Sort._value2member_map_ else Sort.DEADLINE,
        descending=request.args.get("order") == "desc",
        page=request.args.get("page", 1, type=record_number),
    )
    page = caseload.caseload(db(), actor=current_user, query=query, now=clock.now())
    return render_template(
        "cases/caseload.html", page=page, form=form, tabs=Tab, heading=heading, outcomes_to_record=outcomes_to_record
    )


@bp.route("/<int:case_id>/first-contact", methods=["GET", "POST"])
@requires(Action.RECORD_CONTACT, team_scoped=True)
def first_contact(case_id: int):
    record = displayed_case(case_id, Action.RECORD_CONTACT)
    form = FirstContactForm(version=record.version)
    if form.validate_on_submit() and attempt(
        form,
        lambda: assessment.record_first_contact(
            db(),
            actor=current_user,
            case=record,
            method=form.method.data,
            contact_at=from_local(form.contact_date.data, form.contact_time.data),
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        refusal_field="contact_date",
        success="First contact recorded. The case is now in assessment.",
    ):
        return redirect(url_for("cases.case", case_id=case_id))
    return render_template("cases/first_contact.html", case=record, form=form)


@bp.route("/<int:case_id>/referrals/new", methods=["GET", "POST"])
@requires(Action.REFER_TO_PARTNER, team_scoped=True)
def new_referral(case_id: int):
    record = displayed_case(case_id, Action.REFER_TO_PARTNER)
    form = ReferralForm()
    form.service_id.choices = [(0, "Select a service")] + [
        (s.id, f"{s.name} ({DOMAIN_LABELS[s.pathway].lower()})") for s in referrals.directory(db(), actor=current_user)
    ]
    if form.validate_on_submit() and attempt(
        form,
        lambda: referrals.send_referral(
            db(),
            actor=current_user,
            case=record,
            service_id=form.service_id.data,
            need_domain=form.need_domain.data,
            sent_on=form.sent_on.data,
            method=form.method.data,
            data_shared=form.data_shared.data,
            consent_recorded=form.consent_recorded.data,
            now=clock.now(),
        ),
        refusal_field="service_id",
        success="Referral recorded.",
        once=lambda sent: url_for("cases.referral", case_id=case_id, referral_id=sent.id),
    ):
        return redirect(url_for("cases.needs", case_id=case_id))
    return render_template("cases/referral_form.html", case=record, form=form)


@bp.route("/<int:case_id>/referrals/<int:referral_id>", methods=["GET", "POST"])
@requires(Action.REFER_TO_PARTNER, team_scoped=True)
def referral(case_id: int, referral_id: int):
    record = displayed_case(case_id, Action.REFER_TO_PARTNER)
    chosen = referrals.get_referral(db(), actor=current_user, case=record, referral_id=referral_id)
    form = ReferralUpdateForm(version=chosen.version)
    form.status.choices = [(s.value, s.label) for s in NEXT_STATUSES[ReferralStatus(chosen.status)]]
    if form.validate_on_submit() and attempt(
        form,
        lambda: referrals.update_status(
            db(),
            actor=current_user,
            referral=chosen,
            case=record,
            status=form.status.data,
            happened_on=form.happened_on.data,
            evidence=form.evidence.data or "",
            note=form.note.data or "",
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        refusal_field="status",
        success="Referral updated.",
    ):
        return redirect(url_for("cases.needs", case_id=case_id))
    return render_template("cases/referral.html", case=record, referral=chosen, form=form, domain_labels=DOMAIN_LABELS)


@bp.route("/<int:case_id>/allocate", methods=["GET", "POST"])
@requires(Action.ALLOCATE_CASE, team_scoped=True)
def allocate(case_id: int):
    record = displayed_case(case_id, Action.ALLOCATE_CASE)
    navigators = allocation.navigators_with_caseloads(db(), actor=current_user)
    form = AllocationForm(version=record.version)
    form.navigator_id.choices = [(0, "Select a navigator")] + [
        (user.id, f"{user.full_name} ({held} open case{'s' if held != 1 else ''})") for user, held in navigators
    ]
    if form.validate_on_submit():
        chosen = next((user for user, _ in navigators if user.id == form.navigator_id.data), None)
        if attempt(
            form,
            lambda: allocation.allocate(
                db(),
                actor=current_user,
                case=record,
                navigator=chosen,
                reason=form.reason.data or "",
                seen_version=submitted_version(form.version.data),
                now=clock.now(),
            ),
            refusal_field="navigator_id",
            success=f"Case {record.reference} allocated to {chosen.full_name if chosen else ''}.",
        ):
            return redirect(url_for("cases.case", case_id=case_id))
        form.version.data = str(record.version)
    return render_template("cases/allocate.html", case=record, form=form)


@bp.route("/<int:case_id>/acceptance", methods=["GET", "POST"])
@requires(Action.ACCEPT_REFERRAL, team_scoped=True)
def acceptance(case_id: int):
    record = displayed_case(case_id, Action.ACCEPT_REFERRAL)
    form = AcceptanceForm(version=record.version)
    if form.validate_on_submit() and attempt(
        form,
        lambda: cases.decide_acceptance(
            db(),
            actor=current_user,
            case=record,
            accept=form.decision.data == "accept",
            rationale=form.rationale.data or "",
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        refusal_field="decision",
        success=f"Decision on case {record.reference} recorded.",
    ):
        return redirect(url_for("cases.case", case_id=case_id))
    terms = referral_checks.terms_applying(db(), record, clock.today())
    return render_template("cases/acceptance.html", case=record, form=form, terms=terms)
