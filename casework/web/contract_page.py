"""Building the contract pages: the page itself, one condition's page, and the condition form.
The routes are in web/contracts.py; what the pages offer comes from services.contract_actions."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
from casework.domain.errors import DomainError
from casework.services import contract_actions, contracts, progress, referrals, variations
from casework.services.contract_actions import ContractAction
from casework.web import clock
from casework.web.database import db
from casework.web.forms.contracts import (
    AgreementForm,
    ApprovalForm,
    ConditionForm,
    VariationForm,
)


def draft_page(case, *, status: int = 200, **forms):
    """The contract page: what is in force, what is being prepared, and only the actions the
    services would accept from this user now (services.contract_actions)."""
    actions = contract_actions.available(db(), actor=current_user, case=case, now=clock.now())
    pending_version = actions.pending.version if actions.pending else 0
    signed_version = actions.in_force.version if actions.in_force else 0
    page_forms = {
        "form": forms.get("form") or condition_form(case, formdata=None),
        "agreement_form": forms.get("agreement_form") or AgreementForm(formdata=None),
        "approval_form": forms.get("approval_form") or ApprovalForm(formdata=None),
        "variation_form": forms.get("variation_form") or VariationForm(formdata=None),
        "action_form": forms.get("action_form"),
    }
    # A refused form is shown again with what was typed, but carries the version the page now
    # shows: after "someone else changed this", trying again must be able to succeed.
    for name, form in page_forms.items():
        if form is not None and "version" in form:
            form.version.data = str(signed_version if name == "variation_form" else pending_version)
    page = render_template(
        "contract/draft.html",
        case=case,
        actions=actions,
        ContractAction=ContractAction,
        end_on=contracts.provisional_end(db(), on=clock.today()),
        versions=variations.versions(db(), case=case),
        **page_forms,
    )
    return page, status


def condition_form(case, **values) -> ConditionForm:
    form = ConditionForm(**values)
    form.partner_service_id.choices = [(0, "None")] + [
        (service.id, service.name) for service in referrals.directory(db(), actor=current_user)
    ]
    return form


def draft_condition(form: ConditionForm) -> DraftCondition:
    return DraftCondition(
        type=ConditionType(form.type.data),
        wording=form.wording.data,
        rule=CompletionRule(form.rule.data),
        target=int(form.target.data) if form.target.data else None,
        due_on=form.due_on.data,
        partner_service_id=form.partner_service_id.data or None,
        victim_asked=form.victim_asked.data,
    )


def condition_page(case, condition_id: int, *, form, decision_form, status: int = 200):
    """One condition in force, with the progress and decision forms this user may use on it."""
    try:
        offered = progress.choices(db(), actor=current_user, case=case, condition_id=condition_id)
    except DomainError as refusal:
        return render_template("errors/error.html", heading="Page not found", body=refusal.message), 404
    page = render_template(
        "contract/progress.html",
        case=case,
        condition=offered.condition,
        choices=offered,
        form=form,
        decision_form=decision_form,
    )
    return page, status
