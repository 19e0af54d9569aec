"""The demo's Checkpoint-shaped cohort (DOMAIN.md §8.1): `make run` loads it beside the stories,
it has the shape the evaluations report, every case is as consistent as one a user made, and the
same seed gives the same cohort.

The plan's shape is checked on the demo's 500 people without a database. The loaded shape is checked
on the first 200 of the same plan (walked through the services at dates counted back from
tests.conftest.NOW): loading all 500 takes two minutes on SQLite and six on PostgreSQL, and the cohort
only calls services whose database behaviour tests/services checks on both (and tests/test_demo.py
checks the demo's loading on both). So the tests that load it run on SQLite only, as the demo's page
walk does.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from faker import Faker
from flask import url_for
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from casework import demo, demo_cohort
from casework.demo_cohort_plan import COHORT_SIZE, WINDOW_DAYS, plan, quota
from casework.domain.clock import local_today
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import (
    AuditEvent,
    Breach,
    BreachWarning,
    Case,
    CaseOutcome,
    CheckIn,
    Contract,
    Person,
    PersonMonitoring,
    ReoffendingFollowUp,
    User,
    VictimRecord,
    VictimUpdate,
)
from casework.services import audit, breach_raising, check_in_outcomes
from tests.conftest import NOW, sign_in_quickly

S = CaseState
LOADED = 200  # people loaded for the tests of the loaded cohort (the demo loads COHORT_SIZE)
TODAY = local_today(NOW)
ENDED_EARLY = {S.PROSECUTION_DECISION, S.CLOSED_CHARGED, S.CLOSED_ALTERNATIVE, S.CLOSED_EVIDENTIAL}
CLOSED_AFTER_REFERRAL = {S.COMPLETED, S.CLOSED_CHARGED, S.CLOSED_ALTERNATIVE, S.CLOSED_EVIDENTIAL}


def _sqlite_only(database) -> None:
    if database.kind != "sqlite":
        pytest.skip("the cohort is loaded on SQLite only (see the module's docstring)")


@pytest.fixture(scope="module")
def loaded(database) -> Iterator[tuple[Connection, list[int]]]:
    """The teams and LOADED people of the cohort loaded once, in a transaction rolled back when the
    module ends; with the ids of its cases. The stories `make run` loads after it are left out here:
    see the seed-demo test below."""
    _sqlite_only(database)
    with database.engine.connect() as shared:
        outer = shared.begin()
        with Session(bind=shared, join_transaction_mode="create_savepoint") as loading:
            _, staffs = demo.set_up(loading, Faker("en_GB"), now=NOW)
            ids = [case.id for case in demo_cohort.load(loading, staffs=staffs, now=NOW, size=LOADED)]
            loading.commit()
        yield shared, ids
        outer.rollback()


@pytest.fixture
def connection(request, database) -> Iterator[Connection]:
    """The loaded demo for tests that ask for the cohort (each in a savepoint rolled back after it);
    an empty database for the others."""
    if "cohort" not in request.fixturenames:
        with database.engine.connect() as shared:
            outer = shared.begin()
            yield shared
            outer.rollback()
        return
    shared, _ = request.getfixturevalue("loaded")
    inner = shared.begin_nested()
    yield shared
    inner.rollback()


@pytest.fixture
def cohort(session, loaded) -> list[Case]:
    _, ids = loaded
    return list(session.scalars(select(Case).where(Case.id.in_(ids)).order_by(Case.id)))


def _signed(session, cases: list[Case]) -> list[Case]:
    signed = set(
        session.scalars(
            select(Contract.case_id).where(Contract.case_id.in_([c.id for c in cases]), Contract.signed_at.is_not(None))
        )
    )
    return [case for case in cases if case.id in signed]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---- the plan: quotas, and the same seed giving the same people ------------------------------------


def test_a_quota_gives_each_label_its_rounded_share_and_the_rest_to_the_remainder():
    # 20 people: 10% -> 2, 25% -> 5, the remaining 13 to "rest".
    labels = quota(random.Random(1), 20, {"a": 0.10, "b": 0.25}, rest="rest")
    assert Counter(labels) == {"a": 2, "b": 5, "rest": 13}


def test_the_plan_for_100_people_follows_the_funnel_quotas_exactly():
    fates = plan(100)
    # Gate: 9% ineligible, 3% not offered, 7% declined, the other 81 accept.
    assert Counter(f.offer for f in fates) == {"ineligible": 9, "not_offered": 3, "declined": 7, "accepted": 81}
    # Of the 81 who accept: 4% (3.24 -> 3) never make contact, 2% (1.62 -> 2) refuse the contract, 76 sign.
    accepted = [f for f in fates if f.offer == "accepted"]
    assert Counter(f.course in ("no_contact", "refuses") and f.course for f in accepted) == {
        "no_contact": 3,
        "refuses": 2,
        False: 76,
    }
    # Exactly half with no previous convictions.
    assert sum(f.previous_convictions == 0 for f in fates) == 50


def test_the_same_seed_plans_the_same_people_and_another_seed_different_ones():
    assert plan(COHORT_SIZE) == plan(COHORT_SIZE)
    assert plan(COHORT_SIZE, seed=7) != plan(COHORT_SIZE)


def test_loading_a_cohort_twice_with_the_same_seed_gives_the_same_people_and_counts(database):
    """Two small cohorts of 15, each walked into its own rolled-back transaction."""
    _sqlite_only(database)

    def load_once() -> tuple:
        with database.engine.connect() as shared:
            outer = shared.begin()
            with Session(bind=shared, join_transaction_mode="create_savepoint") as session:
                _, staffs = demo.set_up(session, Faker("en_GB"), now=NOW)
                cases = demo_cohort.load(session, staffs=staffs, now=NOW, size=15)
                ids = [case.id for case in cases]
                names = [(case.person.given_names, case.person.family_name) for case in cases]
                kinds = Counter(session.scalars(select(Breach.kind).where(Breach.case_id.in_(ids))))
                codes = Counter(session.scalars(select(CaseOutcome.code).where(CaseOutcome.case_id.in_(ids))))
                results = Counter(
                    session.scalars(select(ReoffendingFollowUp.result).where(ReoffendingFollowUp.case_id.in_(ids)))
                )
                events = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.case_id.in_(ids)))
                shape = (names, Counter(case.state for case in cases), kinds, codes, results, events)
            outer.rollback()
        return shape

    first = load_once()
    assert len(first[0]) == 15 and first[3]  # some reached an outcome
    assert load_once() == first


def test_seed_demo_with_the_cohort_loads_it_beside_the_stories_and_says_how_far_it_has_got(
    app, session, monkeypatch, database
):
    """`make run` runs `seed-demo --cohort`; here with a cohort of 12 to keep the test quick."""
    _sqlite_only(database)
    load = demo_cohort.load
    monkeypatch.setattr(demo_cohort, "load", lambda *args, **kwargs: load(*args, **{**kwargs, "size": 12}))
    result = app.test_cli_runner().invoke(args=["seed-demo", "--cohort"])
    assert result.exit_code == 0, result.output
    assert "Demo cohort: 12 of 12 people walked through the services" in result.output
    # Twenty-three stories in each of the two teams, and the cohort.
    assert session.scalar(select(func.count()).select_from(Case)) == 2 * 23 + 12


# ---- the shape of the loaded cohort -------------------------------------------------------------------


def test_the_demo_cohort_is_500_people_planned_over_the_18_months_before_now():
    fates = plan()
    assert len(fates) == COHORT_SIZE == 500
    assert len({fate.number for fate in fates}) == 500


def test_the_cohort_had_their_custody_gates_started_over_the_18_months_before_now(cohort):
    assert len(cohort) == LOADED
    assert len({case.person_id for case in cohort}) == LOADED
    days = [(TODAY - local_today(_aware(case.opened_at))).days for case in cohort]
    assert min(days) >= 1 and max(days) <= WINDOW_DAYS
    months = {local_today(_aware(case.opened_at)).strftime("%Y-%m") for case in cohort}
    assert len(months) >= 18
    # Both teams' custody suites, about half each.
    by_team = Counter(case.team_id for case in cohort)
    assert len(by_team) == 2 and min(by_team.values()) > 0.4 * LOADED


def test_the_funnel_has_people_leaving_at_every_step_with_their_reasons(cohort):
    states = Counter(case.case_state for case in cohort)
    ineligible = [c for c in cohort if c.offer_reason == "ineligible"]
    not_offered = [c for c in cohort if c.offer_outcome == "not_offered" and c.offer_reason != "ineligible"]
    declined = [c for c in cohort if c.offer_outcome == "declined"]
    accepted = [c for c in cohort if c.offer_outcome == "accepted"]
    # As planned: 9%, 3% and 7% (test_the_plan_for_100_people_follows_the_funnel_quotas_exactly).
    planned = Counter(fate.offer for fate in plan(LOADED))
    assert (len(ineligible), len(not_offered), len(declined), len(accepted)) == (
        planned["ineligible"],
        planned["not_offered"],
        planned["declined"],
        planned["accepted"],
    )
    assert all(c.reason_codes and c.provisional_eligible is False for c in ineligible)
    assert len({code for c in ineligible for code in c.reason_codes}) >= 6
    assert all(c.provisional_eligible and c.offer_reason_detail for c in not_offered)  # the rationale
    assert len({c.offer_reason for c in declined}) >= 4
    assert all(c.alternative_outcome for c in ineligible + not_offered + declined)
    assert states[S.INELIGIBLE] == planned["ineligible"] + planned["not_offered"]
    assert states[S.DECLINED] == planned["declined"]
    first_contact = [c for c in accepted if c.first_contact_at is not None]
    assert 0.9 < len(first_contact) / len(accepted) < 0.99


def test_about_half_had_no_previous_convictions_at_the_gate_and_some_had_many(cohort):
    counts = [int(case.gate_answers["previous_convictions"]) for case in cohort]
    assert sum(count == 0 for count in counts) == LOADED // 2
    assert max(counts) >= 16
    with_some = [case for case in cohort if case.gate_answers["previous_convictions"] != "0"]
    assert all(case.gate_answers.get("last_conviction_on") for case in with_some)


def test_most_who_sign_complete_with_outcome_22_and_the_rest_end_with_a_prosecution_decision(session, cohort):
    signed = _signed(session, cohort)
    finished = [c for c in signed if c.case_state is S.COMPLETED or c.case_state in ENDED_EARLY]
    completed = [c for c in finished if c.case_state is S.COMPLETED]
    assert len(signed) > 0.7 * LOADED and len(finished) > 0.5 * LOADED
    assert 0.8 <= len(completed) / len(finished) <= 0.9
    outcomes = {o.case_id: o for o in session.scalars(select(CaseOutcome))}
    assert all(outcomes[c.id].code == 22 for c in completed)
    closed = [c for c in finished if c.case_state in ENDED_EARLY - {S.PROSECUTION_DECISION}]
    assert {outcomes[c.id].route for c in closed} >= {"charged", "alternative", "no_further_action"}
    assert all(outcomes[c.id].rationale and c.termination_reason for c in closed)


def test_about_5_to_6_percent_of_those_who_sign_are_recorded_with_a_new_offence_during_the_contract(session, cohort):
    signed = _signed(session, cohort)
    played_out = [c for c in signed if (TODAY - local_today(_aware(c.opened_at))).days >= 185]
    reoffended = set(
        session.scalars(
            select(Breach.case_id).where(Breach.kind == "new_offence", Breach.case_id.in_([c.id for c in signed]))
        )
    )
    # Exactly 5.6% of those whose contracts have had time to play out, rounded; a little fewer of
    # all who signed, as some of the latest have not reached theirs yet.
    assert 0.05 <= len(reoffended & {c.id for c in played_out}) / len(played_out) <= 0.06
    assert 0.045 <= len(reoffended) / len(signed) <= 0.065


def test_breaches_of_every_kind_warnings_and_absences_of_both_kinds_are_there(session, cohort):
    ids = [c.id for c in cohort]
    kinds = Counter(session.scalars(select(Breach.kind).where(Breach.case_id.in_(ids))))
    assert set(kinds) == {"new_offence", "unacceptable_absence", "condition_not_met", "conduct", "withdrawal"}
    levels = Counter(session.scalars(select(BreachWarning.level).where(BreachWarning.case_id.in_(ids))))
    assert levels["formal"] > LOADED * 0.06 and levels["final"] > LOADED * 0.04
    outcomes = Counter(session.scalars(select(CheckIn.outcome).where(CheckIn.case_id.in_(ids))))
    assert outcomes["attended_complied"] > LOADED * 4
    assert outcomes["acceptable_absence"] > LOADED * 0.1
    assert outcomes["unacceptable_absence"] > LOADED * 0.12 and outcomes["late"] > LOADED * 0.05
    assert set(session.scalars(select(Breach.decision).where(Breach.case_id.in_(ids)))) >= {
        "final_warning",
        "terminate",
    }
    # The demo's 500 include a suspension too (a new offence, remanded, then released).
    assert any(fate.suspended for fate in plan())


def test_self_defined_ethnicity_sex_age_and_disability_are_recorded_in_a_realistic_mix(session, cohort):
    monitoring = {
        m.person_id: m
        for m in session.scalars(
            select(PersonMonitoring).where(PersonMonitoring.person_id.in_([c.person_id for c in cohort]))
        )
    }
    assert len(monitoring) == LOADED
    ethnicities = Counter(m.ethnicity for m in monitoring.values())
    assert len(ethnicities) >= 12 and 0.03 <= ethnicities["not_stated"] / LOADED <= 0.09
    assert 0.7 <= ethnicities["white_british"] / LOADED <= 0.85
    assert {m.sex for m in monitoring.values()} == {"male", "female", "not_stated"}
    assert {m.disability for m in monitoring.values()} == {"yes", "no", "not_stated"}
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(monitoring)))}
    ages = [_age(people[c.person_id].date_of_birth, local_today(_aware(c.opened_at))) for c in cohort]
    assert min(ages) == 17 and max(ages) >= 55
    under_18 = [c for c in cohort if "UNDER_18" in c.reason_codes]
    assert under_18 and all(c.case_state is S.INELIGIBLE for c in under_18)


def _age(born, on) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_victims_views_are_recorded_for_some_and_their_updates_given(session, cohort):
    ids = [c.id for c in cohort]
    records = list(session.scalars(select(VictimRecord).where(VictimRecord.case_id.in_(ids))))
    accepted = [c for c in cohort if c.offer_outcome == "accepted"]
    assert 0.4 <= len(records) / len(accepted) <= 0.8
    assert {r.views for r in records} == {"supports", "does_not_support", "not_sought"}
    assert any(r.wants_restorative for r in records)
    updates = list(session.scalars(select(VictimUpdate).where(VictimUpdate.case_id.in_(ids))))
    given = [u for u in updates if u.given_on is not None]
    assert len(given) > LOADED * 0.2 and any(u.given_on > u.due_on for u in given)  # some late
    completed = {c.id for c in cohort if c.case_state is S.COMPLETED}
    owed_before_the_end = [u for u in updates if u.case_id in completed and u.owed and u.event != "outcome"]
    assert all(u.given_on is not None for u in owed_before_the_end)


def test_closing_created_12_and_24_month_follow_ups_with_results_recorded_for_those_due(session, cohort):
    closed = [c for c in cohort if c.case_state in CLOSED_AFTER_REFERRAL]
    tasks = list(
        session.scalars(select(ReoffendingFollowUp).where(ReoffendingFollowUp.case_id.in_([c.id for c in cohort])))
    )
    by_case = Counter(t.case_id for t in tasks)
    assert {c.id for c in closed} == set(by_case) and set(by_case.values()) == {2}
    assert all(t.due_on > TODAY for t in tasks if t.months == 24)  # 18 months in: none due yet
    recorded = [t for t in tasks if t.result is not None]
    # Every check due more than a fortnight ago has its result; none not yet due has one.
    assert all(t.result is not None for t in tasks if t.due_on <= TODAY - timedelta(days=15))
    assert all(t.due_on <= TODAY and t.checked_on >= t.due_on for t in recorded)
    completed = {c.id for c in closed if c.case_state is S.COMPLETED}
    at_12 = [t for t in recorded if t.case_id in completed and t.result != "unknown"]
    assert len(at_12) > LOADED * 0.08
    # About 35% of completers reoffend within 24 months (S6, planned: see the test below), most of
    # them in the first year.
    assert 0.08 <= sum(t.result == "reoffended" for t in at_12) / len(at_12) <= 0.32


def test_the_plan_has_about_35_percent_of_completers_reoffending_within_24_months():
    completers = [f for f in plan() if f.course in ("completes", "conduct", "condition_late")]
    share = sum(f.reoffends_in_months is not None for f in completers) / len(completers)
    assert 0.3 <= share <= 0.4


# ---- consistent as a user's cases would be ---------------------------------------------------------


def test_nothing_in_the_cohort_happens_after_now_and_its_audit_trail_verifies(session, cohort):
    ids = [c.id for c in cohort]
    for event in session.scalars(select(AuditEvent).where(AuditEvent.case_id.in_(ids))):
        assert _aware(event.occurred_at) <= NOW, (event.action, event.occurred_at)
    assert audit.verify(session).ok


def test_every_state_was_reached_by_a_transition_in_the_audit_trail_in_time_order(session, cohort):
    for case in cohort:
        moves = [
            e
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.sequence)
            )
            if "to_state" in e.detail
        ]
        path = [S.ELIGIBILITY_DRAFT.value] + [e.detail["to_state"] for e in moves]
        assert [e.detail["from_state"] for e in moves] == path[:-1], case.reference
        assert path[-1] == case.state, case.reference
        moments = [_aware(e.occurred_at) for e in moves]
        assert moments == sorted(moments), case.reference


def test_check_ins_are_recorded_only_after_the_contract_was_signed_and_the_check_in_began(session, cohort):
    signed_at = dict(
        session.execute(
            select(Contract.case_id, func.min(Contract.signed_at))
            .where(Contract.case_id.in_([c.id for c in cohort]), Contract.signed_at.is_not(None))
            .group_by(Contract.case_id)
        ).all()
    )
    recorded = session.scalars(
        select(CheckIn).where(CheckIn.case_id.in_(list(signed_at)), CheckIn.outcome.is_not(None))
    ).all()
    assert recorded
    for check_in in recorded:
        assert _aware(signed_at[check_in.case_id]) < _aware(check_in.scheduled_at)
        assert _aware(check_in.scheduled_at) < _aware(check_in.outcome_recorded_at) <= NOW


def test_the_schedulers_sweeps_find_nothing_left_undone_in_the_cohort(session, cohort):
    """Every check-in held is recorded and every condition past its date met or raised as a breach,
    as if the scheduler had been running all along."""
    assert check_in_outcomes.mark_missed(session, now=NOW) == 0
    assert breach_raising.raise_for_unmet_conditions(session, now=NOW) == 0


def test_a_case_in_each_state_the_cohort_rests_in_opens_for_its_supervisor_and_navigator(app, session, cohort):
    """Pages read what the walk wrote: one case per state, as its team's supervisor and (when it
    has one) its navigator see it."""
    examples = {}
    for case in cohort:
        examples.setdefault(case.case_state, case)
    assert len(examples) >= 11
    supervisors = {u.team_id: u for u in session.scalars(select(User)) if u.has_role(Role.SUPERVISOR)}
    for state, case in sorted(examples.items()):
        for user in filter(None, (supervisors[case.team_id], case.navigator)):
            client = app.test_client()
            sign_in_quickly(client, session, user)
            with app.test_request_context():
                page = url_for("cases.case", case_id=case.id)
            assert client.get(page).status_code == 200, f"{user.username} on {case.reference} ({state})"
