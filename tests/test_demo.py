"""The demo data: every case walked through the real services, so it has the rows its state implies,
its audit trail verifies, and every action a demo page offers opens."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import url_for
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from casework.demo import DEMO_TEAMS, seed
from casework.domain.clock import local_today
from casework.domain.contract_status import ContractStatus
from casework.domain.contract_terms import CompletionRule, ConditionType
from casework.domain.lifecycle import CaseState
from casework.domain.offence_terms import needs_supervisor
from casework.domain.roles import Action, Role
from casework.models import (
    Allocation,
    Assessment,
    AuditEvent,
    Breach,
    Case,
    CaseNote,
    ConditionProgress,
    Team,
    User,
)
from casework.services import (
    access,
    audit,
    breach_queue,
    case_actions,
    case_outcomes,
    caseload,
    completion,
    contract_actions,
    contracts,
    progress,
    referral_checks,
    referrals,
    schemes,
    suspensions,
    victim_updates,
)
from casework.services.contract_actions import ContractAction
from tests.conftest import NOW, backend, sign_in_quickly

S = CaseState
# What README.md's demo paragraph promises for each team.
EACH_TEAM = Counter(
    {
        S.ELIGIBILITY_DRAFT: 2,
        S.INELIGIBLE: 1,
        S.DECLINED: 1,
        S.PENDING_ACCEPTANCE: 1,
        S.REFERRED: 3,
        S.ASSESSMENT: 2,
        S.CONTRACT_DRAFT: 1,
        S.ACTIVE: 2,
        S.BREACH_REVIEW: 1,
        S.SUSPENDED: 1,
        S.COMPLETION_REVIEW: 1,
        S.COMPLETED: 1,
        S.PROSECUTION_DECISION: 1,
        S.CLOSED_CHARGED: 1,
        S.CLOSED_ALTERNATIVE: 1,
        S.CLOSED_EVIDENTIAL: 1,
        S.CLOSED_TIME_BARRED: 1,
        S.WITHDRAWN_IN_ERROR: 1,
    }
)
# Every state a case can rest in, but the two the README explains away.
assert set(EACH_TEAM) == set(CaseState) - {S.CONTRACT_AWAITING_APPROVAL, S.TERMINATED}
UNDER_CONTRACT = {S.ACTIVE, S.BREACH_REVIEW, S.SUSPENDED, S.COMPLETION_REVIEW, S.COMPLETED}
CLOSED_BY_DECISION = {S.CLOSED_CHARGED, S.CLOSED_ALTERNATIVE, S.CLOSED_EVIDENTIAL, S.CLOSED_TIME_BARRED}
REFERRED_OR_LATER = {
    S.REFERRED,
    S.ASSESSMENT,
    S.CONTRACT_DRAFT,
    S.CONTRACT_AWAITING_APPROVAL,
    S.PROSECUTION_DECISION,
    *UNDER_CONTRACT,
    *CLOSED_BY_DECISION,
}
PAST_ASSESSMENT = {S.CONTRACT_DRAFT, S.CONTRACT_AWAITING_APPROVAL, *UNDER_CONTRACT}


@pytest.fixture(scope="module")
def loaded(database) -> Iterator[Connection]:
    """The demo loaded once for the checks below (loading it takes a second or two), in a transaction
    rolled back when the module ends."""
    with database.engine.connect() as shared:
        outer = shared.begin()
        with Session(bind=shared, join_transaction_mode="create_savepoint") as loading:
            assert seed(loading, now=NOW)
            loading.commit()
        yield shared
        outer.rollback()


@pytest.fixture
def connection(request, database) -> Iterator[Connection]:
    """A test of the loaded demo runs in a savepoint inside the module's transaction, so what it or
    its pages write is rolled back before the next one; any other test gets an empty database."""
    if "demo" not in request.fixturenames:
        with database.engine.connect() as shared:
            outer = shared.begin()
            yield shared
            outer.rollback()
        return
    shared = request.getfixturevalue("loaded")
    inner = shared.begin_nested()
    yield shared
    inner.rollback()


@pytest.fixture
def demo(session) -> list[Case]:
    return list(session.scalars(select(Case).order_by(Case.id)))


def _by_team(session, cases: list[Case]) -> dict[str, Counter]:
    names = dict(session.execute(select(Team.id, Team.name)).all())
    found: dict[str, Counter] = {}
    for case in cases:
        found.setdefault(names[case.team_id], Counter())[case.case_state] += 1
    return found


@pytest.mark.parametrize(
    "now",
    [
        NOW,
        datetime(2027, 3, 28, 0, 30, tzinfo=UTC),  # the night the clocks go forward
        datetime(2026, 12, 28, 23, 45, tzinfo=UTC),  # a bank holiday, a quarter to midnight
    ],
    ids=["tests-now", "clocks-change", "bank-holiday-night"],
)
def test_each_team_has_the_cases_the_readme_lists_whenever_it_is_loaded(session, now):
    seed(session, now=now)
    cases = list(session.scalars(select(Case)))
    assert _by_team(session, cases) == {name: EACH_TEAM for name, _area in DEMO_TEAMS}
    assert all(_aware(event.occurred_at) <= now for event in session.scalars(select(AuditEvent)))


def test_nothing_in_the_demo_happens_after_now(session, demo):
    for event in session.scalars(select(AuditEvent)):
        assert _aware(event.occurred_at) <= NOW, (event.action, event.occurred_at)
    for case in demo:
        for moment in (case.opened_at, case.arrested_at, case.consent_at, case.referred_at, case.first_contact_at):
            assert moment is None or _aware(moment) <= NOW, case.reference


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_every_state_was_reached_by_a_transition_in_the_audit_trail(session, demo):
    for case in demo:
        events = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.sequence))
        moves = [event for event in events if "to_state" in event.detail]
        path = [S.ELIGIBILITY_DRAFT.value] + [event.detail["to_state"] for event in moves]
        assert [event.detail["from_state"] for event in moves] == path[:-1], case.reference
        assert path[-1] == case.state, case.reference


def test_allocation_rows_match_the_navigator_shown(session, demo):
    for case in demo:
        rows = session.scalars(select(Allocation).where(Allocation.case_id == case.id)).all()
        current = [row for row in rows if row.ended_at is None]
        if case.navigator_id is None:
            assert rows == [], case.reference
        else:
            assert [row.navigator_id for row in current] == [case.navigator_id], case.reference
        if case.case_state in REFERRED_OR_LATER - {S.REFERRED}:
            assert case.navigator_id is not None, f"{case.reference} is worked on by nobody"


def test_each_case_has_the_rows_its_state_implies(session, demo):
    for case in demo:
        state, label = case.case_state, case.reference
        entry = session.scalar(select(Assessment).where(Assessment.case_id == case.id, Assessment.stage == "entry"))
        if state in REFERRED_OR_LATER or state is S.PENDING_ACCEPTANCE:
            assert case.offer_outcome == "accepted" and case.consent_at and case.first_appointment_at, label
        if state in REFERRED_OR_LATER:
            assert case.referred_at is not None, label
        if state in PAST_ASSESSMENT or state is S.ASSESSMENT:
            assert case.first_contact_at is not None, label
        if state in PAST_ASSESSMENT:
            assert entry is not None and entry.status == "completed", label
        if state is S.CONTRACT_DRAFT:
            assert contracts.pending(session, case=case).version_number == 1, label
        if state in UNDER_CONTRACT:
            _signed_with_due_dates(session, case)
        if state in CLOSED_BY_DECISION | {S.COMPLETED}:
            outcome = case_outcomes.outcome_for(session, case=case)
            assert outcome is not None and outcome.code == OUTCOME_CODES[state], label
        if state is S.BREACH_REVIEW:
            assert breach_queue.in_review(session, case=case), label
        if state is S.SUSPENDED:
            assert suspensions.current(session, case=case) is not None, label
        if state in (S.INELIGIBLE, S.DECLINED):
            assert case.offer_outcome in ("not_offered", "declined") and case.alternative_outcome, label
        if state is S.PENDING_ACCEPTANCE:
            settings = schemes.settings_on(session, local_today(case.consent_at))
            applying = referral_checks.terms_applying(session, case, local_today(case.consent_at))
            assert settings.acceptance_step == "supervisor" or needs_supervisor(applying), f"{label} waits for nothing"
        if state is S.PROSECUTION_DECISION or (state in CLOSED_BY_DECISION and state is not S.CLOSED_CHARGED):
            assert case.termination_reason, label  # ended for no contact
        if state is S.WITHDRAWN_IN_ERROR:
            assert case.withdrawal_reason and case.withdrawal_detail, label
        if state is S.ELIGIBILITY_DRAFT:
            assert case.offer_outcome is None and case.provisional_eligible is None, label


def _signed_with_due_dates(session, case: Case) -> None:
    signed = contracts.in_force(session, case=case)
    assert signed is not None and signed.contract_status is ContractStatus.SIGNED, case.reference
    assert signed.starts_on and signed.ends_on and signed.agreement == "agrees", case.reference
    for condition in signed.conditions:
        if condition.rule == CompletionRule.WHOLE_TERM.value:
            assert condition.due_on is None, case.reference
        else:
            assert condition.due_on is not None and condition.due_on <= signed.ends_on, case.reference
        if condition.type == ConditionType.PATHWAY.value:
            assert condition.partner_service_id is not None, case.reference


def test_each_team_has_the_stories_the_readme_tells(session, demo):
    today = local_today(NOW)
    for team_id in {case.team_id for case in demo}:

        def having(state: CaseState, team_id: int = team_id) -> list[Case]:
            return [case for case in demo if case.team_id == team_id and case.case_state is state]

        referred = having(S.REFERRED)
        assert {case.navigator_id is None for case in referred} == {True, False}
        assert any(caseload.first_contact_overdue(session, case=case, today=today) for case in referred)
        drafts = [_entry_status(session, case) for case in having(S.ASSESSMENT)]
        assert sorted(drafts) == ["completed", "draft"]
        varied = [case for case in having(S.ACTIVE) if contracts.pending(session, case=case) is not None]
        assert len(varied) == 1
        variation = contracts.pending(session, case=varied[0])
        assert variation.version_number == 2 and variation.approved_at is None
        assert contracts.in_force(session, case=varied[0]).version_number == 1
        for case in having(S.ACTIVE):
            assert _count(session, ConditionProgress, case) and _count(session, CaseNote, case), case.reference
            assert referrals.for_case(session, case=case), case.reference
        # The consent page warned about the time limit, and a supervisor signed, accepting the risk.
        risky = [contracts.in_force(session, case=case) for case in having(S.ACTIVE)]
        supervisors = {
            u.id for u in session.scalars(select(User).where(User.team_id == team_id)) if u.has_role(Role.SUPERVISOR)
        }
        assert [c.risk_accepted_by_id in supervisors for c in risky if c.time_limit_risk_accepted] == [True]
        warned = session.scalars(
            select(AuditEvent).where(AuditEvent.team_id == team_id, AuditEvent.action == "case.refer")
        )
        assert any(event.detail["time_limit_warned"] for event in warned)
        assert any(c.opened_by.team_id == team_id for c in having(S.WITHDRAWN_IN_ERROR))
        _past_the_contract(session, having)


# The outcome code each closed demo case was recorded with (README.md's list).
OUTCOME_CODES = {
    S.COMPLETED: 22,
    S.CLOSED_CHARGED: 1,
    S.CLOSED_ALTERNATIVE: 21,
    S.CLOSED_EVIDENTIAL: 16,
    S.CLOSED_TIME_BARRED: 17,
}


def _past_the_contract(session, having) -> None:
    """The breach, decision and outcome stories the README tells for each team."""
    [in_review] = having(S.BREACH_REVIEW)
    kinds = [(b.kind, b.status) for b in _breaches(session, in_review)]
    assert kinds == [("unacceptable_absence", "warned"), ("unacceptable_absence", "review")]
    [charged] = having(S.CLOSED_CHARGED)
    decided = [(b.status, b.decision) for b in _breaches(session, charged)]
    assert decided == [("warned", None), ("decided", "final_warning"), ("decided", "terminate")]
    assert case_outcomes.outcome_for(session, case=charged).charge_wording
    [suspended] = having(S.SUSPENDED)
    assert [b.kind for b in _breaches(session, suspended)] == ["new_offence"]
    [completed] = having(S.COMPLETED)
    assert all(u.given_on is not None for u in victim_updates.for_case(session, case=completed) if u.owed)
    [reviewing] = having(S.COMPLETION_REVIEW)
    assert completion.unmet(session, case=reviewing, today=local_today(NOW)) == []
    [barred] = having(S.CLOSED_TIME_BARRED)
    assert barred.latest_charge_on < local_today(NOW)


def _breaches(session, case: Case) -> list[Breach]:
    return list(session.scalars(select(Breach).where(Breach.case_id == case.id).order_by(Breach.raised_at)))


def _entry_status(session, case: Case) -> str:
    return session.scalar(select(Assessment.status).where(Assessment.case_id == case.id, Assessment.stage == "entry"))


def _count(session, model, case: Case) -> int:
    if model is ConditionProgress:
        signed = contracts.in_force(session, case=case)
        return sum(len(condition.progress) for condition in signed.conditions)
    return session.scalar(select(func.count()).select_from(model).where(model.case_id == case.id))


def test_the_audit_trail_verifies(session, demo):
    result = audit.verify(session)
    assert result.ok and result.checked > len(demo)


def test_loading_it_again_changes_nothing(session, demo):
    counts = {model: session.scalar(select(func.count()).select_from(model)) for model in (User, Case, AuditEvent)}
    assert seed(session, now=NOW) == []
    assert {model: session.scalar(select(func.count()).select_from(model)) for model in counts} == counts


# ---- every action a demo page offers opens -----------------------------------------------------

# The contract page's forms, by the action each carries out (templates/contract/draft.html).
CONTRACT_FORMS = {
    ContractAction.START_DRAFT: "contract.start",
    ContractAction.CHANGE_CONDITIONS: "contract.add_condition",
    ContractAction.RECORD_ANSWER: "contract.agreement",
    ContractAction.SEND_FOR_APPROVAL: "contract.submit",
    ContractAction.DECIDE_APPROVAL: "contract.approval",
    ContractAction.APPROVE_VARIATION: "contract.approve_variation",
    ContractAction.VARY: "contract.vary",
    ContractAction.RECORD_SIGNATURES: "contract.sign",
}


def _offered_pages(session, user: User, case: Case) -> tuple[set[str], set[str], str]:
    """The pages this user is offered on this case (the overview's next steps, the contract page's
    actions and its condition and referral pages), the contract page's form targets, and its URL."""
    pages, controls = {url_for("cases.case", case_id=case.id)}, set()
    steps = case_actions.next_steps(session, actor=user, case=case, today=local_today(NOW))
    pages |= {url_for(action.endpoint, case_id=case.id, **action.params) for action in steps.actions}
    actions = contract_actions.available(session, actor=user, case=case, now=NOW)
    if actions.offered:
        pages.add(url_for("contract.draft", case_id=case.id))
        controls = {url_for(CONTRACT_FORMS[a], case_id=case.id) for a in actions.offered if a in CONTRACT_FORMS}
    if ContractAction.RECORD_SIGNATURES in actions:
        pages.add(url_for("contract.sign", case_id=case.id))
    if ContractAction.CHANGE_CONDITIONS in actions:
        pages |= {
            url_for("contract.edit_condition", case_id=case.id, condition_id=c.id) for c in actions.pending.conditions
        }
    pages |= {
        url_for("contract.pdf", case_id=case.id, version_number=d.version_number, lang=d.language)
        for d in actions.downloads
    }
    for condition_id in progress.recordable_ids(session, actor=user, case=case):
        pages.add(url_for("contract.progress_page", case_id=case.id, condition_id=condition_id))
    if access.can(user, Action.REFER_TO_PARTNER, team_id=case.team_id):
        pages |= {
            url_for("cases.referral", case_id=case.id, referral_id=r.id) for r in referrals.for_case(session, case=case)
        }
    return pages, controls, url_for("contract.draft", case_id=case.id)


@pytest.mark.skipif(
    backend() == "postgresql",
    reason="renders the same pages through the same queries as tests/web, which run on PostgreSQL too; "
    "it checks what the demo offers, not the database, and is the PostgreSQL leg's slowest test",
)
def test_every_action_a_demo_page_offers_opens_for_everyone_offered_it(app, session, demo):
    demo_users = list(session.scalars(select(User).order_by(User.id)))
    opened = Counter()
    for user in demo_users:
        client = app.test_client()
        sign_in_quickly(client, session, user)
        for case in demo:
            if not access.can(user, Action.SEE_CASE_STATUS, team_id=case.team_id):
                continue
            with app.test_request_context():
                pages, controls, contract_url = _offered_pages(session, user, case)
            for page in sorted(pages):
                response = client.get(page)
                assert response.status_code == 200, f"{user.username} on {case.reference} ({case.state}): {page}"
                opened[user.username] += 1
            if controls:
                contract_page = client.get(contract_url).text
                missing = [target for target in controls if f'"{target}"' not in contract_page]
                assert not missing, f"{user.username} on {case.reference}: the contract page lacks {missing}"
    # Everyone but the administrator and the performance lead, who see no case, has pages to open.
    assert set(opened) == {u.username for u in demo_users if u.username not in ("admin", "lead")}
