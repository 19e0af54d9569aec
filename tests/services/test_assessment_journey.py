"""The needs assessment as a journey: a draft saved page by page, completed once, then frozen."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from casework.db import make_session_factory
from casework.domain import needs
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.needs import DomainInput, Safeguarding, SafeguardingInput, Stage
from casework.domain.roles import Role
from casework.models import AuditEvent, Case, User
from casework.services import assessment, assessment_journey, contracts
from casework.services.assessment import STAGE_STATES
from tests.assessments import record_whole_assessment
from tests.audit_queue import chain_queued_views
from tests.conftest import NOW, make_case, make_contract, make_team, make_user

ENTRY = Stage.ENTRY
NO_CONCERNS = SafeguardingInput(ticked=frozenset(), actions={}, no_concerns=True)


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


@pytest.fixture
def case(session, team):
    return make_case(session, team=team, state=CaseState.ASSESSMENT)


def _save(session, actor, case, answers, *, stage=ENTRY, now=NOW):
    draft = assessment_journey.open_journey(session, actor=actor, case=case, stage=stage).assessment
    return assessment_journey.save_domain(
        session, actor=actor, case=case, stage=stage, answers=answers, seen_version=draft.version, now=now
    )


def _flags(session, actor, case, answers, *, now=NOW):
    draft = assessment_journey.open_journey(session, actor=actor, case=case, stage=ENTRY).assessment
    return assessment_journey.save_safeguarding(
        session, actor=actor, case=case, stage=ENTRY, answers=answers, seen_version=draft.version, now=now
    )


def _events(session, case, action):
    return session.scalars(
        select(AuditEvent)
        .where(AuditEvent.case_id == case.id, AuditEvent.action == action)
        .order_by(AuditEvent.sequence)
    ).all()


def test_starting_makes_a_draft_and_each_domain_is_saved_on_its_own(session, navigator, case):
    draft = assessment_journey.start(session, actor=navigator, case=case, stage=ENTRY, now=NOW)
    assert draft.is_draft and draft.started_by_id == navigator.id
    assert assessment_journey.start(session, actor=navigator, case=case, stage=ENTRY, now=NOW) is draft
    assert [e.detail for e in _events(session, case, "case.assessment_started")] == [{"stage": "entry"}]

    _save(session, navigator, case, DomainInput("drugs", 3, True, 1, "Plays football", "Daily use", True))
    _save(session, navigator, case, DomainInput("drugs", 2, True, 1, notes="Cutting down"))
    journey = assessment_journey.open_journey(session, actor=navigator, case=case, stage=ENTRY)
    saved = journey.answers("drugs")
    assert (saved.need_level, saved.strengths, saved.notes, saved.consent_to_refer) == (2, None, "Cutting down", False)
    assert journey.done == {"drugs"} and journey.resume == "alcohol"
    # The audit trail names the domain and that its page is complete, never what was said.
    assert [e.detail for e in _events(session, case, "case.assessment_domain_saved")] == [
        {"stage": "entry", "domain": "drugs", "complete": True, "sections_left": 15}
    ] * 2


def test_every_bad_field_on_a_domain_page_is_reported_and_nothing_is_saved(session, navigator, case):
    assessment_journey.start(session, actor=navigator, case=case, stage=ENTRY, now=NOW)
    _save(session, navigator, case, DomainInput("alcohol", 1, True, person_priority=2))
    with pytest.raises(FieldErrors) as refused:
        _save(session, navigator, case, DomainInput("drugs", None, None, 2, "x" * 2001, "x" * 4001))
    assert {(p.field, p.message) for p in refused.value.problems} == {
        ("need_level", "Select the level of need for drug misuse"),
        ("linked_to_offending", "Say whether drug misuse is linked to the offending"),
        ("person_priority", "Priority 2 is already given to alcohol misuse"),
        ("strengths", "Strengths must be 2,000 characters or fewer"),
        ("notes", "Notes must be 4,000 characters or fewer"),
    }
    with pytest.raises(FieldError) as refused:
        _save(session, navigator, case, DomainInput("drugs", 2, None))
    assert refused.value.field == "linked_to_offending"
    journey = assessment_journey.open_journey(session, actor=navigator, case=case, stage=ENTRY)
    assert journey.done == {"alcohol"}


def test_the_safeguarding_page_needs_each_flags_action_and_keeps_who_recorded_it(session, navigator, case):
    assessment_journey.start(session, actor=navigator, case=case, stage=ENTRY, now=NOW)
    with pytest.raises(FieldErrors) as refused:
        _flags(
            session,
            navigator,
            case,
            SafeguardingInput(
                ticked=frozenset({Safeguarding.SELF_HARM, Safeguarding.CHILD_AT_RISK}),
                actions={Safeguarding.CHILD_AT_RISK: " ", Safeguarding.EXPLOITATION: "Told the county lines team"},
            ),
        )
    assert [p.field for p in refused.value.problems] == [
        "flag-self_harm-action",
        "flag-child_at_risk-action",
        "flag-exploitation",
    ]
    ticked = frozenset({Safeguarding.SELF_HARM, Safeguarding.CHILD_AT_RISK})
    actions = {Safeguarding.SELF_HARM: "Crisis team called", Safeguarding.CHILD_AT_RISK: "Children's services told"}
    _flags(session, navigator, case, SafeguardingInput(ticked=ticked, actions=actions))
    colleague = make_user(session, roles=[Role.SUPERVISOR], team=case.team)
    later = NOW + timedelta(hours=1)
    _flags(
        session,
        colleague,
        case,
        SafeguardingInput(
            ticked=frozenset({Safeguarding.SELF_HARM}), actions={Safeguarding.SELF_HARM: "Crisis team called"}
        ),
        now=later,
    )
    draft = assessment_journey.open_journey(session, actor=navigator, case=case, stage=ENTRY).assessment
    assert [(f.flag, f.recorded_by_id, f.recorded_at) for f in draft.flags] == [("self_harm", navigator.id, NOW)]
    assert draft.flags_reviewed_at == later
    assert [e.detail for e in _events(session, case, "case.assessment_safeguarding_saved")] == [
        {"stage": "entry", "complete": True, "safeguarding_flags": 2, "sections_left": 15},
        {"stage": "entry", "complete": True, "safeguarding_flags": 1, "sections_left": 15},
    ]


def test_completion_waits_for_every_page_and_names_the_missing_ones(session, navigator, case):
    draft = assessment_journey.start(session, actor=navigator, case=case, stage=ENTRY, now=NOW)
    for domain, _ in needs.NEED_DOMAINS:
        if domain not in ("drugs", "gambling"):
            _save(session, navigator, case, DomainInput(domain, 0, False))
    with pytest.raises(IllegalTransition) as refused:
        assessment_journey.complete(
            session, actor=navigator, case=case, stage=ENTRY, seen_version=draft.version, now=NOW
        )
    assert refused.value.message.endswith("Not done yet: Drug misuse, Gambling and Safeguarding and risk.")
    _save(session, navigator, case, DomainInput("drugs", 3, True))
    _save(session, navigator, case, DomainInput("gambling", 0, False))
    with pytest.raises(IllegalTransition, match=r"Not done yet: Safeguarding and risk\.$"):
        assessment_journey.complete(
            session, actor=navigator, case=case, stage=ENTRY, seen_version=draft.version, now=NOW
        )
    _flags(session, navigator, case, NO_CONCERNS)
    assert draft.is_draft and _events(session, case, "case.assessment_completed") == []
    assessment_journey.complete(session, actor=navigator, case=case, stage=ENTRY, seen_version=draft.version, now=NOW)
    assert not draft.is_draft and (draft.assessed_at, draft.assessed_by_id) == (NOW, navigator.id)
    assert [s.domain for s in assessment.summary(session, actor=navigator, case=case).priorities] == ["drugs"]


def test_a_completed_assessment_is_frozen(session, navigator, case):
    done = record_whole_assessment(session, actor=navigator, case=case, stage=ENTRY, scores=[], now=NOW)
    version = done.version
    refusals = [
        lambda: assessment_journey.save_domain(
            session,
            actor=navigator,
            case=case,
            stage=ENTRY,
            answers=DomainInput("drugs", 3, True),
            seen_version=version,
            now=NOW,
        ),
        lambda: assessment_journey.save_safeguarding(
            session, actor=navigator, case=case, stage=ENTRY, answers=NO_CONCERNS, seen_version=version, now=NOW
        ),
        lambda: assessment_journey.complete(
            session, actor=navigator, case=case, stage=ENTRY, seen_version=version, now=NOW
        ),
    ]
    for refused in refusals:
        with pytest.raises(IllegalTransition, match="has been completed and can no longer be changed"):
            refused()
    with pytest.raises(IllegalTransition, match="already been recorded"):
        assessment_journey.start(session, actor=navigator, case=case, stage=ENTRY, now=NOW)
    assert (
        done.version == version
        and assessment_journey.open_journey(session, actor=navigator, case=case, stage=ENTRY)
        .answers("drugs")
        .need_level
        == 0
    )


def test_a_draft_is_not_the_assessment_a_contract_is_drafted_from(session, navigator, case):
    draft = assessment_journey.start(session, actor=navigator, case=case, stage=ENTRY, now=NOW)
    for domain, _ in needs.NEED_DOMAINS:
        _save(session, navigator, case, DomainInput(domain, 3, True))
    _flags(session, navigator, case, NO_CONCERNS)
    with pytest.raises(IllegalTransition, match="Record the needs assessment"):
        contracts.start_contract(session, actor=navigator, case=case, seen_version=case.version, now=NOW)
    assessment_journey.complete(session, actor=navigator, case=case, stage=ENTRY, seen_version=draft.version, now=NOW)
    contract = contracts.start_contract(session, actor=navigator, case=case, seen_version=case.version, now=NOW)
    assert len(contract.conditions) == 3  # the offending condition and the two suggested pathways


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("state", list(CaseState))
def test_each_stage_is_started_only_in_its_case_states(session, team, navigator, stage, state):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    if stage is not ENTRY:  # the midpoint and exit need the entry done and a contract far enough along
        record_whole_assessment(session, actor=navigator, case=case, stage=ENTRY, scores=[], now=NOW)
        make_contract(session, case=case, created_by=navigator, starts_on=NOW.date() - timedelta(days=120))
    case.state = state.value
    case.closed_at = NOW if state.is_terminal else None
    if state is CaseState.WITHDRAWN_IN_ERROR:
        case.withdrawal_reason, case.withdrawal_detail = "duplicate", "Opened twice"
    if state in STAGE_STATES[stage]:
        assert assessment_journey.start(session, actor=navigator, case=case, stage=stage, now=NOW).is_draft
    else:
        with pytest.raises(IllegalTransition, match=f"assessment cannot be recorded while the case is '{state.label}'"):
            assessment_journey.start(session, actor=navigator, case=case, stage=stage, now=NOW)
        started = _events(session, case, "case.assessment_started")
        assert [event for event in started if event.detail["stage"] == stage.value] == []


def test_a_draft_cannot_be_changed_once_the_case_has_moved_out_of_its_stage(session, navigator, case):
    draft = assessment_journey.start(session, actor=navigator, case=case, stage=ENTRY, now=NOW)
    case.state = CaseState.WITHDRAWN_IN_ERROR.value
    case.closed_at = NOW
    case.withdrawal_reason, case.withdrawal_detail = "duplicate", "Opened twice"
    with pytest.raises(IllegalTransition, match="while the case is"):
        _save(session, navigator, case, DomainInput("drugs", 1, False))
    journey = assessment_journey.open_journey(session, actor=navigator, case=case, stage=ENTRY)
    assert journey.assessment is draft and not journey.editable and journey.done == set()


def _every_step(session, actor, case, version):
    return [
        lambda: assessment_journey.open_journey(session, actor=actor, case=case, stage=ENTRY),
        lambda: assessment_journey.record_consultation(
            session, actor=actor, case=case, stage=ENTRY, page="cases.assess", view="assessment_tasks", now=NOW
        ),
        lambda: assessment_journey.start(session, actor=actor, case=case, stage=Stage.EXIT, now=NOW),
        lambda: assessment_journey.save_domain(
            session,
            actor=actor,
            case=case,
            stage=ENTRY,
            answers=DomainInput("drugs", 1, False),
            seen_version=version,
            now=NOW,
        ),
        lambda: assessment_journey.save_safeguarding(
            session, actor=actor, case=case, stage=ENTRY, answers=NO_CONCERNS, seen_version=version, now=NOW
        ),
        lambda: assessment_journey.complete(
            session, actor=actor, case=case, stage=ENTRY, seen_version=version, now=NOW
        ),
    ]


def test_custody_administrators_and_other_teams_are_refused(session, team, other_team, navigator, case):
    draft = assessment_journey.start(session, actor=navigator, case=case, stage=ENTRY, now=NOW)
    for role, team_of in ((Role.CUSTODY_SERGEANT, team), (Role.ADMINISTRATOR, team), (Role.NAVIGATOR, other_team)):
        outsider = make_user(session, roles=[role], team=team_of)
        for step in _every_step(session, outsider, case, draft.version):
            with pytest.raises(NotFound if team_of is other_team else NotPermitted):
                step()
    assert draft.domains == [] and draft.version == 1
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    _save(session, supervisor, case, DomainInput("drugs", 1, False))
    assert [row.domain for row in draft.domains] == ["drugs"]


def test_a_save_from_an_older_version_of_the_draft_is_refused(session, navigator, case):
    draft = assessment_journey.start(session, actor=navigator, case=case, stage=ENTRY, now=NOW)
    seen = draft.version
    _save(session, navigator, case, DomainInput("drugs", 3, True))
    with pytest.raises(StaleRecord, match=r"^Someone else changed the entry assessment"):
        assessment_journey.save_domain(
            session,
            actor=navigator,
            case=case,
            stage=ENTRY,
            answers=DomainInput("drugs", 0, False),
            seen_version=seen,
            now=NOW,
        )
    assert draft.domains[0].need_level == 3


def test_consultations_name_the_page_and_never_its_content(session, navigator, case):
    assessment_journey.record_consultation(
        session,
        actor=navigator,
        case=case,
        stage=ENTRY,
        page="cases.assessment_domain",
        view="assessment_domain",
        domain="drugs",
        now=NOW,
    )
    chain_queued_views(session)
    assert [e.detail for e in _events(session, case, "case.viewed")] == [
        {
            "scope": "full",
            "page": "cases.assessment_domain",
            "view": "assessment_domain",
            "stage": "entry",
            "domain": "drugs",
        }
    ]


@pytest.mark.parametrize(
    ("second_domain", "saved_before"),
    [("drugs", False), ("alcohol", False), ("drugs", True)],
    ids=["same domain", "another domain", "a domain saved before, saved again"],
)
def test_two_navigators_saving_one_draft_at_once_do_not_both_save(migrated_database, second_domain, saved_before):
    """Real commits in two threads, on the database this run uses: the first save is kept, the
    second is refused with the usual message, whichever domain it was for, even when the first
    changed nothing but a domain's own row."""
    sessions = make_session_factory(migrated_database.engine)
    with sessions() as setup:
        team = make_team(setup)
        first_id, second_id = (make_user(setup, roles=[Role.NAVIGATOR], team=team).id for _ in range(2))
        case = make_case(setup, team=team, state=CaseState.ASSESSMENT)
        seen = assessment_journey.start(setup, actor=setup.get(User, first_id), case=case, stage=ENTRY, now=NOW)
        if saved_before:
            _save(setup, setup.get(User, first_id), case, DomainInput("drugs", 1, False))
        case_id, seen_version = case.id, seen.version
        setup.commit()

    first_saved, outcome = threading.Event(), {}

    def save(actor_id: int, answers: DomainInput, *, hold: bool) -> None:
        with sessions() as own:
            try:
                assessment_journey.save_domain(
                    own,
                    actor=own.get(User, actor_id),
                    case=own.get(Case, case_id),
                    stage=ENTRY,
                    answers=answers,
                    seen_version=seen_version,
                    now=datetime.now(UTC),
                )
                if hold:
                    first_saved.set()
                    threading.Event().wait(0.3)  # still inside the transaction when the second saves
                own.commit()
                outcome[actor_id] = "saved"
            except StaleRecord as refusal:
                own.rollback()
                outcome[actor_id] = refusal.message

    def second() -> None:
        first_saved.wait(10)
        save(second_id, DomainInput(second_domain, 0, False), hold=False)

    threads = [
        threading.Thread(
            target=save, args=(first_id, DomainInput("drugs", 3, True)), kwargs={"hold": True}, daemon=True
        )
    ]
    threads.append(threading.Thread(target=second, daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert outcome[first_id] == "saved"
    assert outcome[second_id].startswith("Someone else changed the entry assessment")
    with sessions() as check:
        navigator = check.get(User, first_id)
        journey = assessment_journey.open_journey(check, actor=navigator, case=check.get(Case, case_id), stage=ENTRY)
        assert journey.done == {"drugs"} and journey.answers("drugs").need_level == 3
        assert journey.assessment.version == seen_version + 1


def test_a_safeguarding_flag_in_a_draft_is_on_the_case_at_once(session, navigator, case):
    assessment_journey.start(session, actor=navigator, case=case, stage=ENTRY, now=NOW)
    _flags(
        session,
        navigator,
        case,
        needs.SafeguardingInput(
            ticked=frozenset({needs.Safeguarding.SELF_HARM}),
            actions={needs.Safeguarding.SELF_HARM: "Crisis team called the same day"},
        ),
    )
    shown = assessment.summary(session, actor=navigator, case=case)
    assert not shown.by_stage  # the assessment itself is still a draft
    assert [(flag.flag, flag.action_taken) for flag in shown.flags] == [
        ("self_harm", "Crisis team called the same day")
    ]
