"""Navigators' and supervisors' caseload, the case page, notes, allocation and acceptance."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from casework.domain.clock import from_local
from casework.domain.lifecycle import CaseState
from casework.domain.needs import DOMAIN_LABELS, NEED_DOMAINS, Safeguarding, Stage
from casework.domain.referrals import NEXT_STATUSES, ReferralStatus
from casework.domain.roles import Action
from casework.services import (
    allocation,
    assessment,
    audit,
    case_notes,
    caseload,
    cases,
    contracts,
    progress,
    referrals,
)
from casework.services.caseload import CaseloadQuery, Sort, Tab
from casework.web import clock
from casework.web.access import requires
from casework.web.database import db
from casework.web.forms.cases import (
    AcceptanceForm,
    AllocationForm,
    CaseloadFilterForm,
    FirstContactForm,
    NoteForm,
    assessment_form,
)
from casework.web.forms.fields import submitted_version
from casework.web.forms.referrals import ReferralForm, ReferralUpdateForm
from casework.web.submission import attempt

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.get("/")
@requires(Action.VIEW_CASE)
def caseload_page():
    return render_caseload(heading="Cases")


def render_caseload(*, heading: str):
    """The caseload tabs; the navigator's home page is the same list under its own heading."""
    form = CaseloadFilterForm(request.args)
    tab = request.args.get("tab", "mine")
    query = CaseloadQuery(
        tab=Tab(tab) if tab in Tab._value2member_map_ else Tab.MINE,
        state=CaseState(form.state.data) if form.state.data in CaseState._value2member_map_ else None,
        search=(form.search.data or "")[:100],
        sort=Sort(form.sort.data) if form.sort.data in Sort._value2member_map_ else Sort.DEADLINE,
        descending=request.args.get("order") == "desc",
        page=request.args.get("page", 1, type=int),
    )
    page = caseload.caseload(db(), actor=current_user, query=query, today=clock.today())
    return render_template("cases/caseload.html", page=page, form=form, tabs=Tab, heading=heading)


@bp.get("/<int:case_id>")
@requires(Action.SEE_CASE_STATUS, team_scoped=True)
def case(case_id: int):
    record, full = caseload.open_case_record(db(), actor=current_user, case_id=case_id, now=clock.now())
    db().commit()  # the consultation is recorded even though nothing else changed
    if not full:
        return render_template("cases/status.html", case=record)
    return _case_page(record)


@bp.route("/<int:case_id>/first-contact", methods=["GET", "POST"])
@requires(Action.RECORD_CONTACT, team_scoped=True)
def first_contact(case_id: int):
    record = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.RECORD_CONTACT)
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


@bp.route("/<int:case_id>/assessment/<stage>", methods=["GET", "POST"])
@requires(Action.ASSESS_NEEDS, team_scoped=True)
def assess(case_id: int, stage: str):
    record = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.ASSESS_NEEDS)
    if stage not in Stage._value2member_map_:
        abort(404)
    form = assessment_form(request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        scores = [
            assessment.DomainInput(
                domain=domain,
                need_level=int(form[f"{domain}-need_level"].data),
                linked_to_offending=form[f"{domain}-linked"].data == "yes",
                person_priority=int(form[f"{domain}-priority"].data) if form[f"{domain}-priority"].data else None,
                strengths=form[f"{domain}-strengths"].data or "",
                notes=form[f"{domain}-notes"].data or "",
                consent_to_refer=form[f"{domain}-consent"].data,
            )
            for domain, _ in NEED_DOMAINS
        ]
        flags = {
            flag: form[f"flag-{flag.value}-action"].data or ""
            for flag in Safeguarding
            if form[f"flag-{flag.value}"].data
        }
        if attempt(
            form,
            lambda: assessment.record_assessment(
                db(), actor=current_user, case=record, stage=Stage(stage), scores=scores, flags=flags, now=clock.now()
            ),
            refusal_field="submit",
            success=f"The {stage} assessment has been saved.",
        ):
            return redirect(url_for("cases.case", case_id=case_id, _anchor="needs"))
    return render_template(
        "cases/assessment.html", case=record, form=form, stage=stage, domains=NEED_DOMAINS, flags=list(Safeguarding)
    )


@bp.route("/<int:case_id>/referrals/new", methods=["GET", "POST"])
@requires(Action.REFER_TO_PARTNER, team_scoped=True)
def new_referral(case_id: int):
    record = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.REFER_TO_PARTNER)
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
    ):
        return redirect(url_for("cases.case", case_id=case_id, _anchor="referrals"))
    return render_template("cases/referral_form.html", case=record, form=form)


@bp.route("/<int:case_id>/referrals/<int:referral_id>", methods=["GET", "POST"])
@requires(Action.REFER_TO_PARTNER, team_scoped=True)
def referral(case_id: int, referral_id: int):
    record = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.REFER_TO_PARTNER)
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
        return redirect(url_for("cases.case", case_id=case_id, _anchor="referrals"))
    return render_template("cases/referral.html", case=record, referral=chosen, form=form, domain_labels=DOMAIN_LABELS)


def _case_page(record, *, note_form=None, status=200):
    history = audit.case_history(db(), case_id=record.id)
    notes = case_notes.notes_for(db(), case=record)
    page = render_template(
        "cases/case.html",
        case=record,
        history=history,
        notes=notes,
        note_form=note_form or NoteForm(),
        allocations=allocation.history(db(), case=record),
        show_system=request.args.get("system") != "off",
        first_contact_overdue=caseload.first_contact_overdue(db(), case=record, today=clock.today()),
        needs=assessment.summary(db(), actor=current_user, case=record),
        domain_labels=DOMAIN_LABELS,
        referrals=referrals.for_case(db(), case=record),
        contract=contracts.in_force(db(), case=record),
        variation=contracts.pending(db(), case=record),  # shown only beside a version in force
        recordable=progress.recordable_ids(db(), actor=current_user, case=record),
    )
    return page, status


@bp.post("/<int:case_id>/notes")
@requires(Action.WRITE_CASE_NOTE, team_scoped=True)
def add_note(case_id: int):
    record = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.WRITE_CASE_NOTE)
    form = NoteForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: case_notes.add_note(db(), actor=current_user, case=record, body=form.body.data, now=clock.now()),
        refusal_field="body",
        success="Note saved.",
    ):
        return redirect(url_for("cases.case", case_id=case_id, _anchor="notes"))
    return _case_page(record, note_form=form, status=400)


@bp.route("/<int:case_id>/allocate", methods=["GET", "POST"])
@requires(Action.ALLOCATE_CASE, team_scoped=True)
def allocate(case_id: int):
    record = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.ALLOCATE_CASE)
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
    record = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.ACCEPT_REFERRAL)
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
    return render_template("cases/acceptance.html", case=record, form=form)
