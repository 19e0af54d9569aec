"""The actions offered on a case are exactly those its services accept.

For every situation a case can be in (every state, and the data that matters in it) and every kind of
user, the helper's list is compared with what each action's own service does when asked: offered
means the service accepts it, not offered means the service refuses it. The rules are never copied
here; the services and the lifecycle and permission tables are the reference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from casework.domain.clock import local_today
from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
from casework.domain.errors import IllegalTransition, NotFound, NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.needs import Stage
from casework.domain.roles import Role
from casework.models import Case, PartnerService, Team, User
from casework.services import (
    allocation,
    assessment,
    assessment_journey,
    case_actions,
    case_endings,
    case_notes,
    cases,
    contract_signing,
    contracts,
    progress,
    referrals,
    variations,
)
from tests.conftest import NOW, make_assessment, make_case, make_contract, make_team, make_user

DUE = NOW.date() + timedelta(days=30)  # by when a test condition is due: inside any term

TODAY = local_today(NOW)
S = CaseState


@dataclass(frozen=True)
class World:
    team: Team
    navigator: User
    other_navigator: User
    supervisor: User
    sergeant: User
    administrator: User
    stranger: User  # a navigator in another team
    service: PartnerService

    def actors(self) -> dict[str, User]:
        return {
            "navigator": self.navigator,
            "supervisor": self.supervisor,
            "custody sergeant": self.sergeant,
            "administrator": self.administrator,
            "navigator in another team": self.stranger,
        }


def make_world(session, team: Team) -> World:
    def user(role, in_team=team):
        return make_user(session, roles=[role], team=in_team)

    service = PartnerService(
        team_id=team.id, name="Recovery hub", pathway="drugs", phone="0191 000 0000", data_accepted="Name"
    )
    session.add(service)
    session.flush()
    return World(
        team=team,
        navigator=user(Role.NAVIGATOR),
        other_navigator=user(Role.NAVIGATOR),
        supervisor=user(Role.SUPERVISOR),
        sergeant=user(Role.CUSTODY_SERGEANT),
        administrator=user(Role.ADMINISTRATOR),
        stranger=user(Role.NAVIGATOR, make_team(session)),
        service=service,
    )


# ---- situations: a state and the data that matters in it -------------------------------------

_BEFORE_ALLOCATION = {S.ELIGIBILITY_DRAFT, S.INELIGIBLE, S.DECLINED, S.PENDING_ACCEPTANCE, S.WITHDRAWN_IN_ERROR}
_ASSESSED = {S.CONTRACT_DRAFT, S.CONTRACT_AWAITING_APPROVAL} | {
    s for s in S if s not in _BEFORE_ALLOCATION | {S.REFERRED, S.ASSESSMENT}
}
_SIGNED = _ASSESSED - {S.CONTRACT_DRAFT, S.CONTRACT_AWAITING_APPROVAL}


def _stage(session, case: Case, stage: Stage, by: User) -> None:
    make_assessment(session, case=case, stage=stage.value, by=by)


def _signed(session, case: Case, w: World, *, days_in: int):
    starts_on = TODAY - timedelta(days=days_in)
    return make_contract(
        session, case=case, created_by=w.navigator, starts_on=starts_on, ends_on=starts_on + timedelta(days=120)
    )


def in_state(state: CaseState, *, opened_by: str = "sergeant", drafted_by: str = "navigator", days_in: int = 100):
    """A case in `state` with what that state implies: an entry assessment once past assessment, a
    draft or a contract awaiting approval, or a signed contract `days_in` days into a 120-day term."""

    def build(session, w: World) -> Case:
        case = make_case(
            session,
            team=w.team,
            state=state,
            opened_by=getattr(w, opened_by),
            navigator_id=None if state in _BEFORE_ALLOCATION else w.navigator.id,
            referred_at=None if state in _BEFORE_ALLOCATION else NOW - timedelta(days=2),
        )
        if state in _ASSESSED:
            _stage(session, case, Stage.ENTRY, w.navigator)
        drafter = getattr(w, drafted_by)
        if state is S.CONTRACT_DRAFT:
            make_contract(session, case=case, created_by=drafter, status="draft")
        elif state is S.CONTRACT_AWAITING_APPROVAL:
            make_contract(session, case=case, created_by=drafter, status="awaiting_approval")
        elif state in _SIGNED:
            _signed(session, case, w, days_in=days_in)
        return case

    return build


def _then(build: Callable, extra: Callable) -> Callable:
    def both(session, w: World) -> Case:
        case = build(session, w)
        extra(session, case, w)
        return case

    return both


def _variation(drafted_by: str) -> Callable:
    def add(session, case: Case, w: World) -> None:
        signed = contracts.current(session, case=case)
        make_contract(
            session,
            case=case,
            created_by=getattr(w, drafted_by),
            status="draft",
            version_number=2,
            planned_ends_on=signed.ends_on + timedelta(weeks=4),
        )

    return add


SITUATIONS: dict[str, Callable] = {state.value: in_state(state) for state in S}
SITUATIONS.update(
    {
        "referred, not yet allocated": _then(
            in_state(S.REFERRED), lambda session, case, w: setattr(case, "navigator_id", None)
        ),
        "assessment, entry assessment recorded": _then(
            in_state(S.ASSESSMENT), lambda session, case, w: _stage(session, case, Stage.ENTRY, w.navigator)
        ),
        "pending acceptance, opened by the supervisor": in_state(S.PENDING_ACCEPTANCE, opened_by="supervisor"),
        "awaiting approval, drafted by the supervisor": in_state(S.CONTRACT_AWAITING_APPROVAL, drafted_by="supervisor"),
        "contract draft, drafted by the supervisor": in_state(S.CONTRACT_DRAFT, drafted_by="supervisor"),
        "active, first day of the contract": in_state(S.ACTIVE, days_in=0),
        "active, day before halfway": in_state(S.ACTIVE, days_in=59),
        "active, halfway": in_state(S.ACTIVE, days_in=60),
        "active, midpoint recorded": _then(
            in_state(S.ACTIVE), lambda session, case, w: _stage(session, case, Stage.MIDPOINT, w.navigator)
        ),
        "active, exit recorded": _then(
            in_state(S.ACTIVE, days_in=110), lambda session, case, w: _stage(session, case, Stage.EXIT, w.navigator)
        ),
        "active, variation started by the navigator": _then(in_state(S.ACTIVE), _variation("navigator")),
        "active, variation started by the supervisor": _then(in_state(S.ACTIVE), _variation("supervisor")),
        "breach review, first day": in_state(S.BREACH_REVIEW, days_in=0),
        "completion review, past the end": in_state(S.COMPLETION_REVIEW, days_in=125),
    }
)


# ---- each action's own service, asked with input that is otherwise valid ---------------------


def _current_version(session, case: Case) -> int:
    contract = contracts.current(session, case=case)
    return contract.version if contract else 0


def _assess(stage: Stage) -> Callable:
    """Recording an assessment starts with its draft: the first thing the journey's service accepts."""
    return lambda session, actor, case, w: assessment_journey.start(
        session, actor=actor, case=case, stage=stage, now=NOW
    )


def _record_progress(session, actor, case, w):
    contract = contracts.in_force(session, case=case)
    course = contract.conditions[-1].id if contract else 0  # the offending condition is kept, not counted
    return progress.record_progress(
        session,
        actor=actor,
        case=case,
        condition_id=course,
        happened_on=TODAY,
        amount=1,
        evidence="navigator_observed",
        note="",
        at_risk=False,
        now=NOW,
    )


SERVICES: dict[str, Callable] = {
    "decide_acceptance": lambda session, actor, case, w: cases.decide_acceptance(
        session, actor=actor, case=case, accept=True, rationale="", seen_version=case.version, now=NOW
    ),
    "allocate": lambda session, actor, case, w: allocation.allocate(
        session,
        actor=actor,
        case=case,
        navigator=w.other_navigator,
        reason="Caseload balance",
        seen_version=case.version,
        now=NOW,
    ),
    "record_first_contact": lambda session, actor, case, w: assessment.record_first_contact(
        session,
        actor=actor,
        case=case,
        contact_at=NOW - timedelta(hours=1),
        method="in_person",
        seen_version=case.version,
        now=NOW,
    ),
    "entry_assessment": _assess(Stage.ENTRY),
    "midpoint_assessment": _assess(Stage.MIDPOINT),
    "exit_assessment": _assess(Stage.EXIT),
    "start_contract": lambda session, actor, case, w: contracts.start_contract(
        session, actor=actor, case=case, seen_version=case.version, now=NOW
    ),
    # Continuing a draft means changing it: adding a condition is the smallest change.
    "continue_contract": lambda session, actor, case, w: contracts.add_condition(
        session,
        actor=actor,
        case=case,
        condition=DraftCondition(ConditionType.EDUCATION, "Attend the course", CompletionRule.SESSIONS, 1, DUE),
        seen_version=_current_version(session, case),
        now=NOW,
    ),
    "approve_contract": lambda session, actor, case, w: contract_signing.decide_approval(
        session,
        actor=actor,
        case=case,
        approve=True,
        reason="",
        seen_version=_current_version(session, case),
        now=NOW,
    ),
    "approve_variation": lambda session, actor, case, w: variations.approve_variation(
        session, actor=actor, case=case, seen_version=_current_version(session, case), now=NOW
    ),
    "record_progress": _record_progress,
    "make_referral": lambda session, actor, case, w: referrals.send_referral(
        session,
        actor=actor,
        case=case,
        service_id=w.service.id,
        need_domain="drugs",
        sent_on=TODAY,
        method="phone",
        data_shared=["name"],
        consent_recorded=True,
        now=NOW,
    ),
    "add_note": lambda session, actor, case, w: case_notes.add_note(
        session, actor=actor, case=case, body="Spoke on the phone.", now=NOW
    ),
    "end_no_contact": lambda session, actor, case, w: case_endings.end_for_no_contact(
        session,
        actor=actor,
        case=case,
        reason="Three letters and four calls, no reply since the referral.",
        seen_version=case.version,
        now=NOW,
    ),
    "withdraw": lambda session, actor, case, w: case_endings.withdraw_in_error(
        session,
        actor=actor,
        case=case,
        reason="duplicate",
        detail="Duplicates an earlier check for the same arrest.",
        seen_version=case.version,
        now=NOW,
    ),
}


def accepted_by_service(session, key: str, actor: User, case: Case, w: World) -> bool:
    """Ask the service in a savepoint that is always rolled back, so each attempt starts afresh.
    A refusal for a bad field would be a fault in this test, so it is not caught."""
    savepoint = session.begin_nested()
    try:
        SERVICES[key](session, actor, case, w)
        return True
    except (NotPermitted, IllegalTransition, NotFound):
        return False
    finally:
        savepoint.rollback()


def test_every_action_has_its_service_here():
    assert {step.key for step in case_actions.STEPS} == set(SERVICES)


def test_the_situations_cover_every_state():
    assert {state.value for state in S} <= set(SITUATIONS)


def test_each_user_is_offered_exactly_what_the_services_accept(session, team):
    w = make_world(session, team)
    mismatches, offered_somewhere, refused_somewhere = [], set(), set()
    for name, build in SITUATIONS.items():
        case = build(session, w)
        for who, actor in w.actors().items():
            facts = case_actions.facts_for(session, actor=actor, case=case, today=TODAY)
            offered = {action.key for action in case_actions.offered(facts)}
            for key in SERVICES:
                accepted = accepted_by_service(session, key, actor, case, w)
                (offered_somewhere if key in offered else refused_somewhere).add(key)
                if accepted != (key in offered):
                    verdict = "offered but refused" if key in offered else "accepted but not offered"
                    mismatches.append(f"{name}, {who}: {key} {verdict}")
    assert not mismatches, "\n".join(mismatches)
    # Guards the guard: each action is offered somewhere and withheld somewhere.
    assert offered_somewhere == set(SERVICES) == refused_somewhere


@pytest.mark.parametrize(
    ("situation", "who", "expected"),
    [
        # A few whole lists, read as a user would: nothing extra, nothing missing.
        ("referred", "navigator", ["record_first_contact", "make_referral", "add_note"]),
        (
            "referred",
            "supervisor",
            ["record_first_contact", "allocate", "make_referral", "add_note", "end_no_contact", "withdraw"],
        ),
        ("pending_acceptance", "supervisor", ["decide_acceptance", "add_note", "withdraw"]),
        ("pending acceptance, opened by the supervisor", "supervisor", ["add_note", "withdraw"]),
        ("contract_awaiting_approval", "navigator", ["make_referral", "add_note"]),
        ("active, first day of the contract", "navigator", ["record_progress", "make_referral", "add_note"]),
        ("completed", "navigator", ["add_note"]),
        ("active", "custody sergeant", []),
        ("active", "navigator in another team", []),
    ],
)
def test_whole_lists_for_some_users(session, team, situation, who, expected):
    w = make_world(session, team)
    case = SITUATIONS[situation](session, w)
    steps = case_actions.next_steps(session, actor=w.actors()[who], case=case, today=TODAY)
    assert [action.key for action in steps.actions] == expected


def test_labels_and_warnings_follow_the_case(session, team):
    w = make_world(session, team)
    unallocated = SITUATIONS["referred, not yet allocated"](session, w)
    allocated = SITUATIONS["referred"](session, w)

    def label(case, key):
        return case_actions.next_steps(session, actor=w.supervisor, case=case, today=TODAY).get(key).label

    assert (label(unallocated, "allocate"), label(allocated, "allocate")) == ("Allocate", "Reallocate")
    own = SITUATIONS["awaiting approval, drafted by the supervisor"](session, w)
    notices = case_actions.next_steps(session, actor=w.supervisor, case=own, today=TODAY).warnings
    assert [n.key for n in notices] == ["contract_elsewhere"]
    waiting = case_actions.next_steps(session, actor=w.navigator, case=own, today=TODAY).warnings
    assert [n.key for n in waiting] == ["contract_waiting"]
    late = make_case(session, team=team, referred_at=NOW - timedelta(days=30), decision_deadline_on=TODAY)
    late.latest_charge_on = TODAY + timedelta(days=21)
    texts = [n.text for n in case_actions.next_steps(session, actor=w.navigator, case=late, today=TODAY).warnings]
    assert texts[0].startswith(f"Decide on prosecution by {TODAY.day} {TODAY:%B %Y}")
    assert "First contact is overdue" in texts[1]
