"""Scrutiny panel samples: a seeded draw that repeats, of closed cases in scope only; ratings checked
and guarded; another team's samples refused as if they did not exist; every step audited."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.panel_scrutiny import MAX_SEED, REDACTED, redact
from casework.domain.roles import Role
from casework.models import AuditEvent, Breach, CaseOutcome, CheckIn, PanelSampleCase
from casework.services import panel_samples, panel_summaries
from tests.conftest import NOW, make_case, make_contract, make_person, make_user

FIRST_DAY, LAST_DAY = date(2026, 10, 1), date(2026, 10, 31)
IN_RANGE = datetime(2026, 10, 12, 10, 0, tzinfo=UTC)
# 23:30 UTC on 30 September is 1 October in London (summer time): in the range.
FIRST_LONDON_HOUR = datetime(2026, 9, 30, 23, 30, tzinfo=UTC)
BEFORE = datetime(2026, 9, 30, 22, 30, tzinfo=UTC)


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


@pytest.fixture
def lead(session, other_team):
    return make_user(session, roles=[Role.PERFORMANCE_LEAD], team=other_team)


@pytest.fixture
def cohort(session, team, other_team):
    """c1..c8; which are drawn from is written by each."""
    S = CaseState
    made = {
        "c1": make_case(session, team=team, state=S.COMPLETED, closed_at=IN_RANGE),  # in
        "c2": make_case(session, team=team, state=S.CLOSED_CHARGED, closed_at=IN_RANGE),  # in
        "c3": make_case(session, team=team, state=S.INELIGIBLE, closed_at=IN_RANGE),  # in: a gate decision
        "c4": make_case(session, team=team, state=S.ACTIVE),  # out: still open
        "c5": make_case(session, team=team, state=S.WITHDRAWN_IN_ERROR, closed_at=IN_RANGE),  # out: no decision
        "c6": make_case(session, team=team, state=S.COMPLETED, closed_at=BEFORE),  # out: 30 September in London
        "c7": make_case(session, team=other_team, state=S.COMPLETED, closed_at=IN_RANGE),  # other team
        "c8": make_case(session, team=team, state=S.COMPLETED, closed_at=FIRST_LONDON_HOUR),  # in: 1 October
    }
    session.flush()
    return made


def _draw(session, actor, team_id, size=50, seed=None):
    return panel_samples.draw(
        session,
        actor=actor,
        first_day=FIRST_DAY,
        last_day=LAST_DAY,
        team_id=team_id,
        size=size,
        seed=seed,
        now=NOW,
    )


def _drawn(session, sample) -> list[int]:
    return list(
        session.scalars(
            select(PanelSampleCase.case_id)
            .where(PanelSampleCase.sample_id == sample.id)
            .order_by(PanelSampleCase.position)
        )
    )


def _ids(cohort, *names):
    return {cohort[name].id for name in names}


def test_only_closed_cases_of_the_team_closed_in_the_range_are_drawn(session, team, supervisor, cohort):
    sample = _draw(session, supervisor, team.id)
    assert set(_drawn(session, sample)) == _ids(cohort, "c1", "c2", "c3", "c8")
    assert (sample.closed_cases, sample.drawn_count, sample.size_asked) == (4, 4, 50)


def test_a_performance_lead_draws_from_every_team(session, lead, cohort):
    sample = _draw(session, lead, None)
    assert set(_drawn(session, sample)) == _ids(cohort, "c1", "c2", "c3", "c7", "c8")
    assert sample.team_id is None and sample.team_name == "Every team"


def test_the_same_seed_over_the_same_cases_draws_the_same_cases_in_the_same_order(session, team, supervisor, cohort):
    first = _draw(session, supervisor, team.id, size=3, seed=424242)
    again = _draw(session, supervisor, team.id, size=3, seed=424242)
    # By hand: the four closed cases in case-number order, sampled as Python's documented generator does.
    expected = random.Random(424242).sample(sorted(_ids(cohort, "c1", "c2", "c3", "c8")), 3)
    assert _drawn(session, first) == _drawn(session, again) == expected
    assert first.seed == again.seed == 424242
    # Positions 1..3 are the pseudonyms, in drawn order.
    assert [line.pseudonym for line in panel_samples.sampled_cases(session, first)] == ["Case 1", "Case 2", "Case 3"]


def test_a_seed_is_made_and_kept_when_none_is_given_and_draws_the_sample_again(session, team, supervisor, cohort):
    first = _draw(session, supervisor, team.id, size=2)
    assert 1 <= first.seed <= MAX_SEED
    assert _drawn(session, _draw(session, supervisor, team.id, size=2, seed=first.seed)) == _drawn(session, first)


@pytest.mark.parametrize(
    ("size", "seed", "field"),
    [(0, None, "size"), (51, None, "size"), (5, 0, "seed"), (5, MAX_SEED + 1, "seed")],
)
def test_a_size_or_seed_out_of_bounds_is_refused_by_its_field(session, team, supervisor, cohort, size, seed, field):
    with pytest.raises(FieldError) as refused:
        _draw(session, supervisor, team.id, size=size, seed=seed)
    assert refused.value.field == field


def test_a_range_with_nothing_closed_is_refused(session, team, supervisor):
    with pytest.raises(FieldError, match="No cases in Durham test team were closed"):
        _draw(session, supervisor, team.id)


def test_a_supervisor_cannot_draw_for_or_see_another_team(session, team, other_team, supervisor, lead, cohort):
    with pytest.raises(NotFound):
        _draw(session, supervisor, other_team.id)
    theirs = _draw(session, lead, other_team.id)
    everyone = _draw(session, lead, None)
    ours = _draw(session, supervisor, team.id)
    assert panel_samples.samples(session, actor=supervisor) == [ours]
    for sample in (theirs, everyone):
        with pytest.raises(NotFound):
            panel_samples.get(session, actor=supervisor, sample_id=sample.id)
        with pytest.raises(NotFound):
            _rate(session, supervisor, sample, rating="appropriate")
    assert set(panel_samples.samples(session, actor=lead)) == {theirs, everyone, ours}


@pytest.mark.parametrize("role", [Role.NAVIGATOR, Role.ADMINISTRATOR, Role.CUSTODY_SERGEANT])
def test_other_roles_may_not_draw(session, team, role, cohort):
    with pytest.raises(NotPermitted):
        _draw(session, make_user(session, roles=[role], team=team), team.id)


def _rate(session, actor, sample, position=1, **given):
    values = {"rating": "appropriate", "comments": "", "panel_member": "Panel chair"} | given
    return panel_samples.rate(session, actor=actor, sample_id=sample.id, position=position, now=NOW, **values)


def test_a_rating_is_checked_and_given_once(session, team, supervisor, cohort):
    sample = _draw(session, supervisor, team.id, size=2, seed=7)
    with pytest.raises(FieldErrors) as refused:
        _rate(session, supervisor, sample, rating="", panel_member="  ")
    assert {problem.field for problem in refused.value.problems} == {"rating", "panel_member"}
    with pytest.raises(FieldError) as refused:
        _rate(session, supervisor, sample, rating="inappropriate", comments="   ")
    assert refused.value.field == "comments"
    with pytest.raises(NotFound):
        _rate(session, supervisor, sample, position=3)
    given = _rate(
        session, supervisor, sample, rating="not_agreed", comments="Members split 2-1.", panel_member=" Chair "
    )
    assert (given.rating, given.comments, given.panel_member) == ("not_agreed", "Members split 2-1.", "Chair")
    with pytest.raises(IllegalTransition, match="already been rated “Not agreed” by Chair"):
        _rate(session, supervisor, sample)
    lines = panel_samples.sampled_cases(session, sample)
    assert [line.rating.rating if line.rating else None for line in lines] == ["not_agreed", None]


def test_drawing_viewing_and_rating_are_audited(session, team, supervisor, cohort):
    sample = _draw(session, supervisor, team.id, size=1, seed=99)
    sampled = panel_samples.sampled_case(session, sample, 1)
    panel_samples.viewed(session, actor=supervisor, sample=sample, now=NOW)
    panel_samples.viewed(session, actor=supervisor, sample=sample, sampled=sampled, now=NOW)
    _rate(session, supervisor, sample, rating="appropriate")
    events = list(
        session.scalars(select(AuditEvent).where(AuditEvent.actor_id == supervisor.id).order_by(AuditEvent.sequence))
    )
    assert [event.action for event in events] == [
        "panel_sample.drawn",
        "panel_sample.viewed",
        "panel_sample.case_viewed",
        "panel_sample.case_rated",
    ]
    drawn = events[0].detail
    assert (drawn["seed"], drawn["size"], drawn["closed_cases"], drawn["team"]) == ("99", 1, 4, "Durham test team")
    assert events[2].case_id == events[3].case_id == sampled.case_id
    assert all(event.team_id == team.id for event in events)


def test_redaction_removes_whole_words_ignoring_case():
    words = ["Anne-Marie", "Anne", "Marie", "O'Neil", "CP-26-000123"]
    text = "anne-marie O'NEIL told Annette (CP-26-000123); Marie agreed."
    assert redact(text, words) == f"{REDACTED} {REDACTED} told Annette ({REDACTED}); {REDACTED} agreed."
    assert redact(None, words) is None


def test_the_summary_gives_the_decisions_without_identifying_anyone(session, team, supervisor):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team, full_name="Priya Okafor")
    person = make_person(
        session, creator=supervisor, given_names="Jolene", family_name="Marsh", date_of_birth=date(1995, 3, 1)
    )
    case = make_case(
        session,
        team=team,
        state=CaseState.COMPLETED,
        person=person,
        closed_at=IN_RANGE,
        opened_at=datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
        navigator_id=navigator.id,
        provisional_eligible=False,
        reason_codes=["PREVIOUS_CONVICTIONS"],
        override_rationale="Jolene's only conviction was spent; Priya Okafor agreed.",
        overridden_by_id=supervisor.id,
        offer_outcome="accepted",
    )
    contract = make_contract(session, case=case, created_by=navigator)
    for outcome in ("attended_complied", "late", "unacceptable_absence"):
        session.add(
            CheckIn(
                case_id=case.id,
                contract_id=contract.id,
                scheduled_at=NOW,
                mode="in_person",
                place="Hub",
                source="added",
                created_at=NOW,
                outcome=outcome,
                outcome_recorded_at=NOW,
                late_minutes=10 if outcome == "late" else None,
                late_reason="Bus" if outcome == "late" else None,
            )
        )
    session.add(
        Breach(
            case_id=case.id,
            kind="conduct",
            status="decided",
            occurred_on=NOW.date(),
            summary="Missed",
            raised_at=NOW,
            decision="no_action",
            decided_by_id=supervisor.id,
            decided_at=NOW,
            decision_rationale=f"MARSH phoned on {case.reference}.",
        )
    )
    session.add(
        CaseOutcome(
            case_id=case.id,
            route="completion",
            code=22,
            rationale="Completed.",
            decided_by_id=supervisor.id,
            decided_at=NOW,
            effective_on=NOW.date(),
        )
    )
    session.flush()
    sample = _draw(session, supervisor, team.id, size=1, seed=1)
    summary = panel_summaries.summary(session, panel_samples.sampled_case(session, sample, 1), team_name=team.name)
    assert summary.pseudonym == "Case 1"
    assert summary.age_band == "25 to 34"  # 31 on 1 June 2026
    assert summary.gate_outcome == "Not eligible" and summary.reason_codes == ("Previous convictions",)
    assert summary.override_rationale == f"{REDACTED}'s only conviction was spent; {REDACTED} agreed."
    assert summary.breaches[0].rationale == f"{REDACTED} phoned on {REDACTED}."
    assert summary.check_ins["Attended"] == 2 and summary.check_ins["Unacceptable absences"] == 1
    assert [(line.type, line.status) for line in summary.conditions] == [
        ("No further offending", "Not started"),
        ("Education course", "Not started"),
    ]
    assert summary.outcome_code.startswith("22: ")
    assert summary.days_taken == (date(2026, 10, 12) - date(2026, 6, 1)).days
