"""Disproportionality: each stage's rates by group, with rate ratios and Katz intervals checked by
hand, reference groups, not-stated rows and small-cell suppression (the scheme's default of 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from casework.domain.lifecycle import CaseState
from casework.domain.report_tables import SUPPRESSED, Ratio, Share
from casework.domain.roles import Role
from casework.models import Breach, CaseOutcome, PersonMonitoring
from casework.services import disproportionality_report, report_scope
from tests.conftest import NOW, make_case, make_contract, make_person, make_user
from tests.statements import count_statements

FIRST_DAY, LAST_DAY = date(2026, 10, 1), date(2026, 10, 31)
IN_RANGE = datetime(2026, 10, 10, 10, 0, tzinfo=UTC)

INELIGIBLE = dict(
    state=CaseState.INELIGIBLE,
    provisional_eligible=False,
    reason_codes=["PREVIOUS_CONVICTIONS"],
    offer_outcome="not_offered",
    offer_reason="ineligible",
)
NOT_OFFERED = dict(
    state=CaseState.INELIGIBLE,
    provisional_eligible=True,
    offer_outcome="not_offered",
    offer_reason="officer_discretion",
    offer_reason_detail="Victim asked for a charge.",
)
DECLINED = dict(
    state=CaseState.DECLINED, provisional_eligible=True, offer_outcome="declined", offer_reason="legal_advice"
)


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


@pytest.fixture
def people(session, team):
    """`people(n, monitoring, **case)` opens n cases in the range, each for a new person with the
    monitoring given ((ethnicity, sex, disability), or None for no monitoring row)."""
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)

    def add(n, monitoring=None, *, dob=date(1980, 6, 1), **values):
        made = []
        for _ in range(n):
            person = make_person(session, creator=sergeant, date_of_birth=dob)
            if monitoring:
                ethnicity, sex, disability = monitoring
                session.add(
                    PersonMonitoring(
                        person_id=person.id, ethnicity=ethnicity, sex=sex, disability=disability, recorded_at=NOW
                    )
                )
            made.append(make_case(session, team=team, person=person, opened_by=sergeant, opened_at=IN_RANGE, **values))
        session.flush()
        return made

    return add


def _build(session, supervisor, team):
    scope = report_scope.scope(session, actor=supervisor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team.id)
    assert scope.threshold == 5  # the scheme's default
    return disproportionality_report.build(session, scope)


def _rows(report, key):
    table = report.table(key)
    return {row[0]: row[1:] for row in table.rows}


WHITE = ("white_british", "male", "no")
BLACK = ("black_african", "male", "no")
NOT_STATED = ("not_stated", "male", "no")


@pytest.fixture
def worked_example(people):
    """55 people at the gate, none of whom accepted:

                 gate   ineligible   eligible   not offered   offered (declined)
    White          15        5           10           5              5
    Black          25        5           20           5             15
    Not stated     15        5           10           5              5    (5 said "not stated",
    All            55       15           40          15             25     10 gave no answer)
    """
    people(5, WHITE, **INELIGIBLE)
    people(5, WHITE, **NOT_OFFERED)
    people(5, WHITE, **DECLINED)
    people(5, BLACK, **INELIGIBLE)
    people(5, BLACK, **NOT_OFFERED)
    people(15, ("black_caribbean", "male", "no"), **DECLINED)
    people(5, NOT_STATED, **INELIGIBLE)
    people(5, None, **NOT_OFFERED)
    people(5, None, **DECLINED)


def test_the_offer_rates_and_ratios_against_white_people_match_a_hand_count(session, team, supervisor, worked_example):
    rows = _rows(_build(session, supervisor, team), "offer-ethnicity")
    # Black: 15 offered of 20 eligible = 0.75; White: 5 of 10 = 0.5. Ratio 0.75 / 0.5 = 1.5.
    # Katz: SE(ln RR) = sqrt(1/15 - 1/20 + 1/5 - 1/10) = sqrt(0.116667) = 0.341565;
    # ln 1.5 = 0.405465; 1.959964 x 0.341565 = 0.669455; exp(0.405465 -/+ 0.669455) = 0.7680 to 2.9298.
    black_base, black_offered, black_rate, black_ratio = rows["Black, Black British, Caribbean or African"]
    assert (black_base, black_offered, black_rate) == (20, 15, Share(15, 20))
    assert black_ratio == Ratio(pytest.approx(1.5), pytest.approx(0.76798, abs=1e-5), pytest.approx(2.92976, abs=1e-5))
    # White is the reference, though Black people are the larger group here.
    assert rows["White (reference)"] == (10, 5, Share(5, 10), Ratio(1.0))
    # Not stated (5 who said so and 10 who gave no answer) is a row of its own: 5 of 10, ratio 1;
    # SE = sqrt(1/5 - 1/10 + 1/5 - 1/10) = 0.447214, x 1.959964 = 0.876523; exp(-/+0.876523) = 0.4162 to 2.4025.
    assert rows["Not stated"][:3] == (10, 5, Share(5, 10))
    assert rows["Not stated"][3] == Ratio(
        pytest.approx(1.0), pytest.approx(0.41623, abs=1e-5), pytest.approx(2.40253, abs=1e-5)
    )
    assert rows["All"] == (40, 25, Share(25, 40), None)
    # No one in these groups: every figure hidden, as zero is, rather than the row left out.
    for group in ("Asian or Asian British", "Mixed or multiple ethnic groups", "Other ethnic group"):
        assert rows[group] == (SUPPRESSED,) * 4


def test_eligibility_is_a_rate_of_everyone_at_the_gate(session, team, supervisor, worked_example):
    rows = _rows(_build(session, supervisor, team), "eligibility-ethnicity")
    # Black: 20 of 25 = 0.8; White 10 of 15 = 0.6667; ratio 1.2. SE = sqrt(1/20 - 1/25 + 1/10 - 1/15)
    # = 0.208167; x 1.959964 = 0.407999; exp(0.182322 -/+ 0.407999) = 0.7980 to 1.8046.
    assert rows["Black, Black British, Caribbean or African"][:3] == (25, 20, Share(20, 25))
    ratio = rows["Black, Black British, Caribbean or African"][3]
    assert (ratio.value, ratio.low, ratio.high) == pytest.approx((1.2, 0.79798, 1.80457), abs=1e-5)
    # No one accepted: the acceptance counts are zeros, hidden, and so is every ratio from them.
    acceptance = _rows(_build(session, supervisor, team), "acceptance-ethnicity")
    assert acceptance["Black, Black British, Caribbean or African"] == (15, SUPPRESSED, SUPPRESSED, SUPPRESSED)


def test_each_grouping_has_its_stated_reference_group(session, team, supervisor, people):
    # Ages on 10 October 2026: 5 aged 20 (born 2006), 6 aged 30, 6 aged 40: 25-34 and 35-44 tie
    # as the largest band, and the younger is chosen.
    people(5, WHITE, dob=date(2006, 1, 1), **INELIGIBLE)
    people(6, WHITE, dob=date(1996, 1, 1), **INELIGIBLE)
    people(6, WHITE, dob=date(1986, 1, 1), **INELIGIBLE)
    report = _build(session, supervisor, team)
    references = {
        key: next(row[0] for row in report.table(key).rows if str(row[0]).endswith("(reference)"))
        for key in ("eligibility-ethnicity", "eligibility-sex", "eligibility-age-band", "eligibility-disability")
    }
    assert references == {
        "eligibility-ethnicity": "White (reference)",
        "eligibility-sex": "Male (reference)",
        "eligibility-age-band": "25 to 34 (reference)",
        "eligibility-disability": "Not disabled (reference)",
    }
    age = report.table("eligibility-age-band")
    assert age.headers[-1] == "Rate ratio to 25 to 34 (95% CI)"
    assert "the largest among people whose custody gate was started in the range" in age.notes[0]
    assert "Lammy" in report.table("offer-ethnicity").notes[0]
    # Six tables (one per stage) for each of the four groupings.
    assert len(report.tables) == 24
    assert (report.key, report.title) == ("disproportionality", "Disproportionality")


def test_a_small_group_is_hidden_and_so_is_a_second_to_protect_it(session, team, supervisor, people):
    # By sex at the gate: 3 women (fewer than 5: hidden), 12 men, 7 not stated; 22 in all. The 22
    # less the 12 men would give the 3 women away, so the next smallest, the 7 not stated, is
    # hidden too, with the rate and ratio worked out from it.
    people(3, ("white_british", "female", "no"), **INELIGIBLE)
    people(6, WHITE, **INELIGIBLE)
    people(6, WHITE, **NOT_OFFERED)
    people(7, ("white_british", "not_stated", "no"), **INELIGIBLE)
    table = _build(session, supervisor, team).table("eligibility-sex")
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Female"] == (SUPPRESSED,) * 4
    assert rows["Male (reference)"] == (12, 6, Share(6, 12), Ratio(1.0))
    assert rows["Not stated"] == (SUPPRESSED,) * 4
    assert rows["All"] == (22, 6, Share(6, 22), None)
    assert any("[c] means the figure is not shown: fewer than 5 people" in note for note in table.notes)


def test_a_handful_not_reaching_a_stage_hides_the_count_that_would_tell(session, team, supervisor, people):
    # Black: 20 eligible, 17 offered: 3 not offered, which 20 and 17 would give away. 17 is hidden
    # (the smaller), in the offer table and as the acceptance table's base alike.
    people(5, WHITE, **INELIGIBLE)
    people(5, WHITE, **NOT_OFFERED)
    people(5, WHITE, **DECLINED)
    people(5, BLACK, **INELIGIBLE)
    people(3, BLACK, **NOT_OFFERED)
    people(17, BLACK, **DECLINED)
    report = _build(session, supervisor, team)
    black = "Black, Black British, Caribbean or African"
    assert _rows(report, "offer-ethnicity")[black] == (20, SUPPRESSED, SUPPRESSED, SUPPRESSED)
    assert _rows(report, "acceptance-ethnicity")[black][0] is SUPPRESSED
    assert _rows(report, "eligibility-ethnicity")[black][:2] == (25, 20)
    assert _rows(report, "offer-ethnicity")["White (reference)"] == (10, 5, Share(5, 10), Ratio(1.0))


def test_completion_breach_and_prosecution_after_breach(session, team, supervisor, people):
    """Everyone here signed a contract that has ended:

                 signed   completed (breached)   terminated (breached)   breached   sent for a decision
    White          20         10 (5)                  10 (10)               15            10
    Black          25         10 (5)                  15 (15)               20            15
    """
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    signed = dict(provisional_eligible=True, offer_outcome="accepted", first_contact_at=IN_RANGE)
    white_completed = people(10, WHITE, state=CaseState.COMPLETED, **signed)
    white_terminated = people(10, WHITE, state=CaseState.PROSECUTION_DECISION, **signed)
    black_completed = people(10, BLACK, state=CaseState.COMPLETED, **signed)
    black_terminated = people(15, BLACK, state=CaseState.CLOSED_CHARGED, **signed)
    for case in white_completed + white_terminated + black_completed + black_terminated:
        make_contract(session, case=case, created_by=supervisor)
    for case in white_completed + black_completed:
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
    for case in white_completed[:5] + white_terminated + black_completed[:5] + black_terminated:
        session.add(
            Breach(
                case_id=case.id,
                kind="unacceptable_absence",
                occurred_on=NOW.date(),
                summary="Missed.",
                raised_by_id=navigator.id,
                raised_at=NOW,
            )
        )
    session.flush()
    report = _build(session, supervisor, team)
    black = "Black, Black British, Caribbean or African"

    completion = _rows(report, "completion-ethnicity")
    assert completion["White (reference)"] == (20, 10, Share(10, 20), Ratio(1.0))
    # Black 10 of 25 = 0.4 against White 0.5: 0.8. SE = sqrt(1/10 - 1/25 + 1/10 - 1/20) = sqrt(0.11)
    # = 0.331662; x 1.959964 = 0.650047; exp(-0.223144 -/+ 0.650047) = 0.4176 to 1.5325.
    assert completion[black][:3] == (25, 10, Share(10, 25))
    ratio = completion[black][3]
    assert (ratio.value, ratio.low, ratio.high) == pytest.approx((0.8, 0.41762, 1.53250), abs=1e-5)

    breaches = _rows(report, "breach-ethnicity")
    # Black 20 of 25 = 0.8 against White 15 of 20 = 0.75: 1.0667. SE = sqrt(1/20 - 1/25 + 1/15 - 1/20)
    # = 0.163299; x 1.959964 = 0.320061; exp(0.064539 -/+ 0.320061) = 0.7745 to 1.4690.
    assert breaches["White (reference)"][:3] == (20, 15, Share(15, 20))
    ratio = breaches[black][3]
    assert (ratio.value, ratio.low, ratio.high) == pytest.approx((1.06667, 0.77451, 1.46903), abs=1e-5)

    prosecution = _rows(report, "prosecution-ethnicity")
    # Black 15 of 20 = 0.75 against White 10 of 15: 1.125. SE = sqrt(1/15 - 1/20 + 1/10 - 1/15)
    # = sqrt(0.05) = 0.223607; x 1.959964 = 0.438261; exp(0.117783 -/+ 0.438261) = 0.7258 to 1.7438.
    assert prosecution["White (reference)"][:3] == (15, 10, Share(10, 15))
    ratio = prosecution[black][3]
    assert (ratio.value, ratio.low, ratio.high) == pytest.approx((1.125, 0.72580, 1.74376), abs=1e-5)

    # Everyone at the gate was eligible: a rate of 100% says so of each person, as 0% would, so
    # the eligible count is hidden (the gate count stays).
    assert _rows(report, "eligibility-ethnicity")["White (reference)"] == (20, SUPPRESSED, SUPPRESSED, Ratio(1.0))


def test_the_report_takes_one_query_however_many_cases(session, team, supervisor, people):
    people(5, WHITE, **INELIGIBLE)
    scope = report_scope.scope(session, actor=supervisor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team.id)

    def run():
        disproportionality_report.build(session, scope)

    before = count_statements(session, run)
    people(20, BLACK, **DECLINED)
    people(20, None, **NOT_OFFERED)
    assert count_statements(session, run) == before == 1
