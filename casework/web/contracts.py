"""Drafting a case's support contract."""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from casework.domain.clock import from_local
from casework.domain.roles import Action
from casework.services import (
    cases,
    check_in_schedule,
    contract_actions,
    contract_signing,
    contracts,
    documents,
    progress,
    variations,
)
from casework.services.check_ins import SchedulePlan
from casework.services.contract_actions import ContractAction
from casework.services.contract_signing import Signing
from casework.web import check_in_page, clock, contract_page
from casework.web.access import requires
from casework.web.case_display import displayed_case
from casework.web.database import db
from casework.web.forms.contracts import (
    AgreementForm,
    ApprovalForm,
    ConditionDecisionForm,
    ProgressForm,
    SigningForm,
    StartContractForm,
    VariationForm,
)
from casework.web.forms.fields import submitted_version
from casework.web.submission import attempt

bp = Blueprint("contract", __name__, url_prefix="/cases/<int:case_id>/contract")


@bp.get("/")
@requires(Action.DRAFT_CONTRACT, team_scoped=True)
def draft(case_id: int):
    case = displayed_case(case_id, Action.DRAFT_CONTRACT)
    page, _status = contract_page.draft_page(case)
    return page


@bp.post("/start")
@requires(Action.DRAFT_CONTRACT, team_scoped=True)
def start(case_id: int):
    case = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.DRAFT_CONTRACT)
    form = StartContractForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: contracts.start_contract(
            db(), actor=current_user, case=case, seen_version=submitted_version(form.version.data), now=clock.now()
        ),
        success="Draft contract started.",
    ):
        return redirect(url_for("contract.draft", case_id=case_id))
    message = form.form_errors[0] if form.form_errors else "The form could not be sent. Try again."
    return render_template("errors/error.html", heading="The contract could not be started", body=message), 409


@bp.post("/conditions")
@requires(Action.DRAFT_CONTRACT, team_scoped=True)
def add_condition(case_id: int):
    case = displayed_case(case_id, Action.DRAFT_CONTRACT)
    form = contract_page.condition_form(case)
    if form.validate_on_submit() and attempt(
        form,
        lambda: contracts.add_condition(
            db(),
            actor=current_user,
            case=case,
            condition=contract_page.draft_condition(form),
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        success="Condition added.",
        once=lambda _condition: url_for("contract.draft", case_id=case_id),
    ):
        return redirect(url_for("contract.draft", case_id=case_id))
    return contract_page.draft_page(case, form=form, status=400)


@bp.route("/conditions/<int:condition_id>", methods=["GET", "POST"])
@requires(Action.DRAFT_CONTRACT, team_scoped=True)
def edit_condition(case_id: int, condition_id: int):
    case = displayed_case(case_id, Action.DRAFT_CONTRACT)
    actions = contract_actions.available(db(), actor=current_user, case=case, now=clock.now())
    contract = actions.pending
    existing = next((c for c in (contract.conditions if contract else []) if c.id == condition_id), None)
    if existing is None:
        return render_template("errors/error.html", heading="Page not found", body="There is no such condition."), 404
    if ContractAction.CHANGE_CONDITIONS not in actions:
        reason = actions.reasons[ContractAction.CHANGE_CONDITIONS]
        return render_template("errors/error.html", heading="This condition cannot be changed", body=reason), 409
    form = contract_page.condition_form(
        case,
        obj=existing,
        version=contract.version,
        target=existing.target or "",
        partner_service_id=existing.partner_service_id or 0,
    )
    if form.validate_on_submit() and attempt(
        form,
        lambda: contracts.update_condition(
            db(),
            actor=current_user,
            case=case,
            condition_id=condition_id,
            condition=contract_page.draft_condition(form),
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        success="Condition updated.",
    ):
        return redirect(url_for("contract.draft", case_id=case_id))
    return render_template("contract/condition.html", case=case, form=form, condition=existing)


@bp.post("/conditions/<int:condition_id>/remove")
@requires(Action.DRAFT_CONTRACT, team_scoped=True)
def remove_condition(case_id: int, condition_id: int):
    case = displayed_case(case_id, Action.DRAFT_CONTRACT)
    form = contract_page.condition_form(case)
    if attempt(
        form,
        lambda: contracts.remove_condition(
            db(),
            actor=current_user,
            case=case,
            condition_id=condition_id,
            seen_version=submitted_version(request.form.get("version")),
            now=clock.now(),
        ),
        success="Condition removed.",
    ):
        return redirect(url_for("contract.draft", case_id=case_id))
    return contract_page.draft_page(case, form=form, status=409)


@bp.post("/agreement")
@requires(Action.DRAFT_CONTRACT, team_scoped=True)
def agreement(case_id: int):
    case = displayed_case(case_id, Action.DRAFT_CONTRACT)
    form = AgreementForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: contract_signing.record_agreement(
            db(),
            actor=current_user,
            case=case,
            agreement=form.agreement.data,
            reason=form.reason.data or "",
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        success="The person's answer has been recorded.",
    ):
        return redirect(url_for("contract.draft", case_id=case_id))
    return contract_page.draft_page(case, agreement_form=form, status=400)


@bp.post("/submit")
@requires(Action.DRAFT_CONTRACT, team_scoped=True)
def submit(case_id: int):
    case = displayed_case(case_id, Action.DRAFT_CONTRACT)
    form = StartContractForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: contract_signing.submit_for_approval(
            db(), actor=current_user, case=case, seen_version=submitted_version(form.version.data), now=clock.now()
        ),
        success="Sent to a supervisor for approval.",
    ):
        return redirect(url_for("contract.draft", case_id=case_id))
    return contract_page.draft_page(case, action_form=form, status=409)


@bp.post("/approval")
@requires(Action.APPROVE_CONTRACT, team_scoped=True)
def approval(case_id: int):
    case = displayed_case(case_id, Action.APPROVE_CONTRACT)
    form = ApprovalForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: contract_signing.decide_approval(
            db(),
            actor=current_user,
            case=case,
            approve=form.decision.data == "approve",
            reason=form.reason.data or "",
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        refusal_field="decision",
        success="Decision recorded.",
    ):
        return redirect(url_for("contract.draft", case_id=case_id))
    return contract_page.draft_page(case, approval_form=form, status=400)


@bp.route("/sign", methods=["GET", "POST"])
@requires(Action.DRAFT_CONTRACT, team_scoped=True)
def sign(case_id: int):
    case = displayed_case(case_id, Action.DRAFT_CONTRACT)
    actions = contract_actions.available(db(), actor=current_user, case=case, now=clock.now())
    if ContractAction.RECORD_SIGNATURES not in actions:
        reason = actions.reasons[ContractAction.RECORD_SIGNATURES]
        return render_template("errors/error.html", heading="The signatures cannot be recorded", body=reason), 409
    contract = actions.pending
    form = SigningForm(version=contract.version, explained_by_id=case.navigator_id or 0)
    form.explained_by_id.choices = [(0, "Select a navigator")] + [
        (navigator.id, navigator.full_name) for navigator in contract_signing.navigators(db(), case=case)
    ]
    if form.validate_on_submit():
        signing = Signing(
            signed_at=from_local(form.signed_date.data, form.signed_time.data),
            place=form.place.data,
            language=form.language.data,
            interpreter_present=form.interpreter_present.data == "yes",
            appropriate_adult_present=form.appropriate_adult_present.data == "yes",
            solicitor_present=form.solicitor_present.data == "yes",
            person_signature=form.person_signature.data,
            signature_name=form.signature_name.data or "",
            copy_given=form.copy_given.data,
            explained_by_id=form.explained_by_id.data or -1,
            risk_accepted=form.risk_accepted.data or "",
            check_ins=SchedulePlan(
                time_of_day=form.check_in_time.data or SchedulePlan.time_of_day,
                mode=form.check_in_mode.data or SchedulePlan.mode,
                place=form.check_in_place.data or "",
            ),
        )
        if attempt(
            form,
            lambda: contract_signing.sign(
                db(),
                actor=current_user,
                case=case,
                signing=signing,
                seen_version=submitted_version(form.version.data),
                now=clock.now(),
            ),
            success="The contract is signed. The case is now active.",
        ):
            return redirect(url_for("cases.case", case_id=case_id))
    needs_supervisor = contract_signing.needs_supervisor(
        db(), case=case, contract=contract, signed_on=clock.today(), now=clock.now()
    )
    return render_template(
        "contract/sign.html",
        case=case,
        contract=contract,
        form=form,
        needs_supervisor=needs_supervisor,
        check_in_pattern=check_in_page.pattern_sentence(
            check_in_schedule.pattern_for(db(), today=clock.today()),
            contract_signing.term(db(), case=case, contract=contract, signed_on=clock.today(), now=clock.now())[1],
        ),
    )


@bp.get("/<int:version_number>.pdf")
@requires(Action.DRAFT_CONTRACT, team_scoped=True)
def pdf(case_id: int, version_number: int):
    case = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.DRAFT_CONTRACT)
    issued = documents.contract_pdf(
        db(),
        actor=current_user,
        case=case,
        version_number=version_number,
        language=request.args.get("lang", case.person.preferred_language),
        now=clock.now(),
    )
    db().commit()
    response = make_response(issued.pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="contract-{case.reference}-v{version_number}-{issued.language}.pdf"'
    )
    return response


@bp.route("/conditions/<int:condition_id>/progress", methods=["GET", "POST"])
@requires(Action.RECORD_CONTACT, team_scoped=True)
def progress_page(case_id: int, condition_id: int):
    case = displayed_case(case_id, Action.RECORD_CONTACT)
    form = ProgressForm(measured=contracts.measured_in_force(db(), case=case, condition_id=condition_id))
    if form.validate_on_submit() and attempt(
        form,
        lambda: progress.record_progress(
            db(),
            actor=current_user,
            case=case,
            condition_id=condition_id,
            happened_on=form.happened_on.data,
            amount=int(form.amount.data) if form.amount.data else None,
            evidence=form.evidence.data,
            note=form.note.data or "",
            at_risk=form.at_risk.data,
            now=clock.now(),
        ),
        refusal_field="happened_on",
        success="Progress recorded.",
        once=lambda _condition: url_for("cases.contract_summary", case_id=case_id),
    ):
        return redirect(url_for("cases.contract_summary", case_id=case_id))
    return contract_page.condition_page(
        case, condition_id, form=form, decision_form=ConditionDecisionForm(formdata=None)
    )


@bp.post("/conditions/<int:condition_id>/decision")
@requires(Action.APPROVE_CONTRACT, team_scoped=True)
def condition_decision(case_id: int, condition_id: int):
    case = displayed_case(case_id, Action.APPROVE_CONTRACT)
    form = ConditionDecisionForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: progress.decide_condition(
            db(),
            actor=current_user,
            case=case,
            condition_id=condition_id,
            outcome=form.outcome.data,
            reason=form.reason.data,
            now=clock.now(),
        ),
        refusal_field="outcome",
        success="Decision recorded.",
    ):
        return redirect(url_for("cases.contract_summary", case_id=case_id))
    return contract_page.condition_page(
        case, condition_id, form=ProgressForm(formdata=None), decision_form=form, status=400
    )


@bp.post("/variation")
@requires(Action.DRAFT_CONTRACT, team_scoped=True)
def vary(case_id: int):
    case = displayed_case(case_id, Action.DRAFT_CONTRACT)
    form = VariationForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: variations.start_variation(
            db(),
            actor=current_user,
            case=case,
            reason=form.reason.data,
            consent=form.consent.data,
            extend_weeks=form.extend_weeks.data,
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
        success="Variation started: change the conditions, then ask a supervisor to approve it.",
    ):
        return redirect(url_for("contract.draft", case_id=case_id))
    return contract_page.draft_page(case, variation_form=form, status=400)


@bp.post("/variation/approve")
@requires(Action.APPROVE_CONTRACT, team_scoped=True)
def approve_variation(case_id: int):
    case = displayed_case(case_id, Action.APPROVE_CONTRACT)
    form = StartContractForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: variations.approve_variation(
            db(), actor=current_user, case=case, seen_version=submitted_version(form.version.data), now=clock.now()
        ),
        success="Variation approved. It can now be re-signed.",
    ):
        return redirect(url_for("contract.draft", case_id=case_id))
    return contract_page.draft_page(case, action_form=form, status=409)
