"""Recording the prosecution decision: each route allowed and refused, the s.127 time bar (around
month ends, leap years and London midnight), who may record it, and a decision never half-applied."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.outcome_codes import Route
from casework.domain.roles import Role
from casework.domain.time_limits import latest_charge_date
from casework.models import AuditEvent, CaseOutcome, OutcomeCode
from casework.services import prosecution
from tests.conftest import NOW, make_user
from tests.prosecution_cases import RATIONALE, waiting_case

TODAY = NOW.date()
WORDING = "On 3 August 2026 at Durham assaulted Sam Jones by beating. Contrary to s.39 Criminal Justice Act 1988."


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


@pytest.fixture
def sergeant(session, team):
    return make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)


def _record(session, actor, case, route, *, code=None, now=NOW, seen_version=None, **charge):
    return prosecution.record_decision(
        session,
        actor=actor,
        case=case,
        route=route,
        code=code,
        rationale=charge.pop("rationale", RATIONALE),
        seen_version=case.version if seen_version is None else seen_version,
        now=now,
        **charge,
    )


def _charge(**overrides):
    return {"charge_wording": WORDING, "charged_on": TODAY, "court_date": TODAY + timedelta(days=21), **overrides}


def _events(session, case) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.sequence)))


def _unchanged(session, case) -> None:
    assert case.case_state is CaseState.PROSECUTION_DECISION and case.closed_at is None
    assert session.scalar(select(func.count()).select_from(CaseOutcome).where(CaseOutcome.case_id == case.id)) == 0


# ---- each route ---------------------------------------------------------------------------------


def test_a_charge_closes_the_case_with_outcome_1_its_wording_and_dates(session, team, sergeant):
    case = waiting_case(session, team)
    outcome = _record(session, sergeant, case, "charged", **_charge(charged_on=TODAY - timedelta(days=1)))
    assert case.case_state is CaseState.CLOSED_CHARGED and case.closed_at == NOW
    assert (outcome.route, outcome.code, outcome.charge_wording) == ("charged", 1, WORDING)
    assert outcome.charged_on == TODAY - timedelta(days=1) and outcome.court_date == TODAY + timedelta(days=21)
    assert (outcome.decided_by_id, outcome.decided_at, outcome.rationale) == (sergeant.id, NOW, RATIONALE)
    assert outcome.effective_on == TODAY - timedelta(days=1)  # the charge date goes on force systems
    event = next(e for e in _events(session, case) if e.action == "case.close_charged")
    assert event.actor_id == sergeant.id
    assert event.detail["code"] == 1 and event.detail["to_state"] == "closed_charged"
    assert RATIONALE not in str(event.detail) and WORDING not in str(event.detail)


@pytest.mark.parametrize(
    ("route", "code", "state"),
    [
        ("alternative", 3, CaseState.CLOSED_ALTERNATIVE),
        ("no_further_action", 10, CaseState.CLOSED_ALTERNATIVE),
        ("no_further_action", 21, CaseState.CLOSED_ALTERNATIVE),
        ("evidential", 15, CaseState.CLOSED_EVIDENTIAL),
        ("evidential", 16, CaseState.CLOSED_EVIDENTIAL),
    ],
)
def test_each_other_route_closes_the_case_with_its_code(session, team, supervisor, route, code, state):
    case = waiting_case(session, team)
    outcome = _record(session, supervisor, case, route, code=code)
    assert case.case_state is state and (outcome.route, outcome.code) == (route, code)
    assert outcome.effective_on == TODAY and outcome.charge_wording is None and outcome.charged_on is None


def test_the_only_alternative_code_in_force_is_taken_when_none_is_chosen(session, team, supervisor):
    case = waiting_case(session, team)
    assert _record(session, supervisor, case, "alternative").code == 3


def test_a_reason_for_no_further_action_must_be_chosen(session, team, supervisor):
    case = waiting_case(session, team)
    with pytest.raises(FieldError) as refused:
        _record(session, supervisor, case, "no_further_action")
    assert (refused.value.field, refused.value.message) == ("nfa_code", "Select the outcome code")
    _unchanged(session, case)


# ---- refusals ------------------------------------------------------------------------------------


def test_a_charge_needs_its_wording_and_date_and_nothing_is_written_without_them(session, team, supervisor):
    case = waiting_case(session, team)
    before = len(_events(session, case))
    with pytest.raises(FieldErrors) as refused:
        _record(session, supervisor, case, "charged", charge_wording=" ", charged_on=None)
    assert {p.field: p.message for p in refused.value.problems} == {
        "charge_wording": "Enter the charge wording",
        "charged_on": "Enter the date of the charge or postal requisition",
    }
    _unchanged(session, case)
    assert len(_events(session, case)) == before


def test_the_court_date_cannot_be_before_the_charge(session, team, supervisor):
    case = waiting_case(session, team)
    with pytest.raises(FieldError, match="The court date cannot be before the charge date") as refused:
        _record(session, supervisor, case, "charged", **_charge(court_date=TODAY - timedelta(days=1)))
    assert refused.value.field == "court_date"
    _unchanged(session, case)


def test_a_charge_date_in_the_future_is_refused(session, team, supervisor):
    case = waiting_case(session, team)
    with pytest.raises(FieldError, match="today or in the past"):
        _record(session, supervisor, case, "charged", **_charge(charged_on=TODAY + timedelta(days=1)))


def test_a_code_from_another_route_is_refused(session, team, supervisor):
    case = waiting_case(session, team)
    with pytest.raises(FieldError, match=r"Outcome 10 .* is not recorded for the scheme's alternative") as refused:
        _record(session, supervisor, case, "alternative", code=10)
    assert refused.value.field == "alternative_code"
    _unchanged(session, case)


def test_a_code_not_yet_in_force_is_refused(session, team, supervisor):
    session.add(
        OutcomeCode(code=90, label="Conditional caution (new)", route="alternative", effective_from=date(2027, 4, 1))
    )
    session.flush()
    case = waiting_case(session, team)
    assert [c.code for c in prosecution.choices(session, case=case, today=TODAY).codes[Route.ALTERNATIVE]] == [3]
    with pytest.raises(FieldError, match="Outcome 90 is not in force on 24 November 2026"):
        _record(session, supervisor, case, "alternative", code=90)
    _unchanged(session, case)


def test_a_rationale_is_required(session, team, supervisor):
    case = waiting_case(session, team)
    with pytest.raises(FieldError) as refused:
        _record(session, supervisor, case, "evidential", code=15, rationale="   because ")
    assert refused.value.field == "rationale"
    _unchanged(session, case)


def test_an_unknown_route_is_refused(session, team, supervisor):
    case = waiting_case(session, team)
    with pytest.raises(FieldError, match="Select the decision"):
        _record(session, supervisor, case, "completion", code=22)


def test_only_a_case_waiting_for_a_decision_can_have_one(session, team, supervisor):
    case = waiting_case(session, team)
    _record(session, supervisor, case, "evidential", code=16)
    with pytest.raises(IllegalTransition, match="closed: evidential difficulties"):
        _record(session, supervisor, case, "charged", **_charge())


def test_a_decision_on_an_old_copy_of_the_case_is_refused(session, team, supervisor):
    case = waiting_case(session, team)
    with pytest.raises(StaleRecord):
        _record(session, supervisor, case, "evidential", code=15, seen_version=case.version - 1)
    _unchanged(session, case)


# ---- who may record it ---------------------------------------------------------------------------


def test_a_navigator_cannot_record_the_decision(session, team):
    case = waiting_case(session, team)
    with pytest.raises(NotPermitted):
        _record(session, make_user(session, roles=[Role.NAVIGATOR], team=team), case, "evidential", code=15)
    _unchanged(session, case)


@pytest.mark.parametrize("role", [Role.CUSTODY_SERGEANT, Role.SUPERVISOR])
def test_another_teams_decision_maker_cannot_record_it(session, team, other_team, role):
    case = waiting_case(session, team)
    with pytest.raises(NotFound):
        _record(session, make_user(session, roles=[role], team=other_team), case, "evidential", code=15)
    _unchanged(session, case)


# ---- the s.127 time bar -------------------------------------------------------------------------


def test_past_the_latest_charge_date_a_charge_is_refused_naming_the_date(session, team, supervisor):
    case = waiting_case(session, team, offence_on=date(2026, 5, 20))  # latest charge 19 November 2026
    with pytest.raises(FieldError, match="The latest charge date, 19 November 2026, has passed") as refused:
        _record(session, supervisor, case, "charged", **_charge())
    assert refused.value.field == "route"
    with pytest.raises(FieldError, match="has passed"):
        _record(session, supervisor, case, "alternative", code=3)
    _unchanged(session, case)
    outcome = _record(session, supervisor, case, "time_barred")
    assert case.case_state is CaseState.CLOSED_TIME_BARRED and outcome.code == 17


@pytest.mark.parametrize(("route", "code"), [("no_further_action", 21), ("evidential", 15)])
def test_past_the_latest_charge_date_a_route_without_proceedings_is_still_allowed(
    session, team, supervisor, route, code
):
    case = waiting_case(session, team, offence_on=date(2026, 5, 20))
    assert _record(session, supervisor, case, route, code=code).code == code


def test_time_barred_is_refused_until_the_limit_has_passed(session, team, supervisor):
    case = waiting_case(session, team)
    with pytest.raises(FieldError, match="a charge can be laid until 2 February 2027"):
        _record(session, supervisor, case, "time_barred")
    _unchanged(session, case)


def test_time_barred_is_refused_where_the_limit_does_not_apply(session, team, supervisor):
    case = waiting_case(session, team, s127=False, offence_code="THEFT-SHOP")
    assert case.latest_charge_on is None
    with pytest.raises(FieldError, match="does not apply to this offence"):
        _record(session, supervisor, case, "time_barred")
    assert _record(session, supervisor, case, "charged", **_charge()).code == 1


@pytest.mark.parametrize(
    ("offence_on", "latest"),
    [
        (date(2026, 8, 31), date(2027, 2, 27)),  # 28 February, less the safety day
        (date(2027, 8, 31), date(2028, 2, 28)),  # a leap year: 29 February, less the safety day
        (date(2027, 8, 29), date(2028, 2, 28)),
        (date(2026, 4, 30), date(2026, 10, 29)),
    ],
)
def test_around_month_ends_and_leap_years_the_last_day_allows_a_charge_and_the_next_only_time_barred(
    session, team, supervisor, offence_on, latest
):
    assert latest_charge_date(offence_on, s127_applies=True) == latest
    on_the_day = datetime(latest.year, latest.month, latest.day, 12, 0, tzinfo=UTC)
    case = waiting_case(session, team, offence_on=offence_on, now=on_the_day - timedelta(days=10))
    with pytest.raises(FieldError, match="has not passed"):
        _record(session, supervisor, case, "time_barred", now=on_the_day)
    assert prosecution.choices(session, case=case, today=latest).barred.keys() == {Route.TIME_BARRED}
    later = waiting_case(session, team, offence_on=offence_on, now=on_the_day - timedelta(days=10))
    with pytest.raises(FieldError, match="has passed"):
        _record(
            session,
            supervisor,
            later,
            "charged",
            now=on_the_day + timedelta(days=1),
            **_charge(charged_on=latest, court_date=None),
        )
    assert _record(session, supervisor, later, "time_barred", now=on_the_day + timedelta(days=1)).code == 17
    assert (
        _record(
            session, supervisor, case, "charged", now=on_the_day, **_charge(charged_on=latest, court_date=None)
        ).code
        == 1
    )


def test_the_day_is_londons_after_midnight_in_summer_time(session, team, supervisor):
    """Offence 31 March 2026: latest charge 29 September. At 23:30 UTC that day it is already
    30 September in London, so the limit has passed."""
    case = waiting_case(session, team, offence_on=date(2026, 3, 31), now=datetime(2026, 9, 20, 9, 0, tzinfo=UTC))
    assert case.latest_charge_on == date(2026, 9, 29)
    late_evening = datetime(2026, 9, 29, 23, 30, tzinfo=UTC)
    with pytest.raises(FieldError, match="29 September 2026, has passed"):
        _record(
            session,
            supervisor,
            case,
            "charged",
            now=late_evening,
            **_charge(charged_on=date(2026, 9, 29), court_date=None),
        )
    outcome = _record(session, supervisor, case, "time_barred", now=late_evening)
    assert outcome.effective_on == date(2026, 9, 30)
