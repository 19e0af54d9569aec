"""The "recorded on force system" confirmation for any outcome, and the time-barred figure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, CaseOutcome
from casework.services import case_outcomes, prosecution
from tests.conftest import NOW, make_case, make_user
from tests.prosecution_cases import RATIONALE, waiting_case


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


def _decided(session, team, supervisor, route="evidential", code=15, **case_overrides):
    case = waiting_case(session, team, **case_overrides)
    prosecution.record_decision(
        session,
        actor=supervisor,
        case=case,
        route=route,
        code=code,
        rationale=RATIONALE,
        seen_version=case.version,
        now=NOW,
    )
    return case


def _completed(session, team, navigator):
    """A completion outcome, as part of the completion sign-off writes it."""
    case = make_case(session, team=team, state=CaseState.COMPLETED)
    session.add(
        CaseOutcome(
            case_id=case.id,
            route="completion",
            code=22,
            rationale="Every condition met.",
            decided_by_id=navigator.id,
            decided_at=NOW,
            effective_on=NOW.date(),
        )
    )
    session.flush()
    return case


def _confirm(session, actor, case, reference="OCC/26/123456", confirmed=True, now=NOW):
    return case_outcomes.confirm_force_record(
        session, actor=actor, case=case, force_reference=reference, confirmed=confirmed, now=now
    )


def test_a_supervisor_confirms_the_outcome_is_on_force_systems_once(session, team, supervisor):
    case = _decided(session, team, supervisor)
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team, full_name="Morgan Price")
    outcome = _confirm(session, sergeant, case)
    assert (outcome.force_recorded_at, outcome.force_recorded_by_id, outcome.force_reference) == (
        NOW,
        sergeant.id,
        "OCC/26/123456",
    )
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.sequence)
    ).all()[-1]
    assert event.action == "case.outcome_recorded_on_force_system" and event.actor_id == sergeant.id
    assert event.detail["code"] == 15
    with pytest.raises(IllegalTransition, match=r"Morgan Price already confirmed .* on 24 November 2026"):
        _confirm(session, supervisor, case, reference="", now=NOW + timedelta(hours=1))
    assert session.get(CaseOutcome, outcome.id).force_recorded_by_id == sergeant.id


def test_a_completion_outcome_is_confirmed_the_same_way_and_the_reference_is_optional(session, team, supervisor):
    case = _completed(session, team, make_user(session, roles=[Role.NAVIGATOR], team=team))
    outcome = _confirm(session, supervisor, case, reference="  ")
    assert outcome.code == 22 and outcome.force_recorded_at == NOW and outcome.force_reference is None


def test_the_confirmation_must_be_ticked_and_the_reference_short(session, team, supervisor):
    case = _decided(session, team, supervisor)
    with pytest.raises(FieldErrors) as refused:
        _confirm(session, supervisor, case, reference="X" * 61, confirmed=False)
    assert {p.field for p in refused.value.problems} == {"force_reference", "confirmed"}
    with pytest.raises(FieldError, match="Confirm that Outcome 15 has been entered"):
        _confirm(session, supervisor, case, confirmed=False)
    assert case_outcomes.outcome_for(session, case=case).force_recorded_at is None


def test_a_case_with_no_outcome_has_nothing_to_confirm(session, team, supervisor):
    with pytest.raises(NotFound):
        _confirm(session, supervisor, waiting_case(session, team))


def test_a_navigator_and_another_teams_supervisor_cannot_confirm(session, team, other_team, supervisor):
    case = _decided(session, team, supervisor)
    # A navigator may not confirm; to another team's supervisor the case does not exist.
    for outsider, refusal in (
        (make_user(session, roles=[Role.NAVIGATOR], team=team), NotPermitted),
        (make_user(session, roles=[Role.SUPERVISOR], team=other_team), NotFound),
    ):
        with pytest.raises(refusal):
            _confirm(session, outsider, case)
    assert case_outcomes.outcome_for(session, case=case).force_recorded_at is None


def test_the_time_barred_figure_counts_the_teams_closed_and_those_still_open_past_the_limit(
    session, team, other_team, supervisor
):
    _decided(session, team, supervisor, route="time_barred", code=None, offence_on=date(2026, 5, 1))
    _decided(session, team, supervisor)  # closed another way: not counted
    waiting = waiting_case(session, team, offence_on=date(2026, 5, 10))  # latest charge 9 November 2026
    make_case(session, team=team, state=CaseState.ACTIVE, latest_charge_on=date(2026, 11, 23))
    make_case(session, team=team, state=CaseState.ACTIVE, latest_charge_on=date(2026, 11, 24))  # today: not past
    make_case(session, team=team, state=CaseState.CLOSED_CHARGED, latest_charge_on=date(2026, 10, 1))
    make_case(session, team=other_team, state=CaseState.ACTIVE, latest_charge_on=date(2026, 10, 1))
    other_supervisor = make_user(session, roles=[Role.SUPERVISOR], team=other_team)
    _decided(session, other_team, other_supervisor, route="time_barred", code=None, offence_on=date(2026, 5, 1))
    figures = case_outcomes.time_barred_figures(session, actor=supervisor, today=NOW.date())
    assert figures.closed_time_barred == 1
    assert figures.open_past_limit[0].reference == waiting.reference
    assert figures.open_past_limit[0].person_name == waiting.person.full_name
    assert [item.latest_charge_on for item in figures.open_past_limit] == [date(2026, 11, 9), date(2026, 11, 23)]
    with pytest.raises(NotPermitted):
        case_outcomes.time_barred_figures(
            session, actor=make_user(session, roles=[Role.NAVIGATOR], team=team), today=NOW.date()
        )
