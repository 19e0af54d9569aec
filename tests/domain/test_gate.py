"""The eligibility checklist: each reason triggered by one change to an eligible set of answers."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from casework.domain.gate import (
    ACCEPTED_STANCES,
    AdmissionRule,
    AnswerContext,
    OffenceFacts,
    SchemeRules,
    answer_problem,
    answer_problems,
    evaluate,
    gravity_score,
    shown,
)
from casework.domain.gate_questions import QUESTIONS, RETIRED, SECTION_BY_SLUG, Reason
from casework.domain.time_limits import contract_end_date, latest_safe_start

OFFER = date(2026, 11, 24)
DURHAM = SchemeRules(
    min_age=18,
    max_offence_age_months=3,
    admission_rule=AdmissionRule.ADMISSION_OR_NO_REPLY,
    exclude_indictable_only=True,
    max_gravity_without_override=3,
    previous_conviction_limit=None,
    victim_consent_required=False,
    time_limit_margin_days=21,
)
ASSAULT = OffenceFacts(
    title="Common assault", mode_of_trial="summary_only", gravity_base=2, inclusion="included", s127_applies=True
)
ANSWERS = {
    "identity_confirmed": "yes",
    "identity_method": "pnc",
    "lives_in_force_area": "yes",
    "offence_in_force_area": "yes",
    "evidential_test_met": "yes",
    "evidential_decided_by": "DS 1234 Patel",
    "evidential_decided_on": "2026-11-23",
    "evidential_decided_time": "21:30",
    "admission_stance": "full_admission",
    "understands_obligations": "yes",
    "aggravating": ["none"],
    "mitigating": ["none"],
    "gravity_rationale": "A first offence at the low end of common assault, with no injury.",
    "previous_convictions": "2",
    "last_conviction_on": "2019-05-10",
    "custody_likely": "no",
    "local_exclusion": "no",
    "local_exclusion_which": "",
    "local_exclusion_detail": "",
    "subject_to_court_order": "no",
    "under_supervision": "no",
    "on_bail_other_matter": "no",
    "held_for_court": "no",
    "mha_detention": "no",
    "has_co_accused": "no",
    "victim_view": "supports",
    "risk_band": "none",
    "risk_band_source": "",
}


def _evaluate(rules=DURHAM, offences=(ASSAULT,), born=date(1990, 1, 1), last=date(2026, 11, 20), **changes):
    return evaluate(
        rules,
        {**ANSWERS, **changes},
        offences=list(offences),
        date_of_birth=born,
        offence_last_on=last,
        offer_date=OFFER,
    )


def test_the_baseline_is_eligible():
    result = _evaluate()
    assert result.eligible and result.findings == () and result.unanswered == () and result.gravity == 2


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"identity_confirmed": "no"}, Reason.IDENTITY_NOT_CONFIRMED),
        ({"lives_in_force_area": "no"}, Reason.OUT_OF_AREA),
        ({"offence_in_force_area": "no"}, Reason.OFFENCE_OUT_OF_AREA),
        ({"evidential_test_met": "no"}, Reason.EVIDENTIAL_TEST_NOT_MET),
        ({"admission_stance": "denial"}, Reason.DENIES_OFFENCE),
        ({"admission_stance": "no_comment"}, Reason.DENIES_OFFENCE),
        ({"understands_obligations": "no"}, Reason.NO_CAPACITY_TO_CONSENT),
        ({"custody_likely": "yes"}, Reason.CUSTODY_LIKELY),
        ({"local_exclusion": "yes"}, Reason.LOCAL_EXCLUSION),
        ({"subject_to_court_order": "yes"}, Reason.SUBJECT_TO_ORDER),
        ({"under_supervision": "yes"}, Reason.SUBJECT_TO_ORDER),
        ({"on_bail_other_matter": "yes"}, Reason.ON_BAIL_OTHER_MATTER),
        ({"held_for_court": "yes"}, Reason.HELD_FOR_COURT),
        ({"mha_detention": "yes"}, Reason.MHA_DETENTION),
        ({"has_co_accused": "yes"}, Reason.CO_ACCUSED),
    ],
)
def test_one_failing_answer_gives_its_reason(changes, reason):
    result = _evaluate(**changes)
    assert not result.eligible and result.reason_codes == [reason.value]


def test_age_offence_age_and_offence_rules():
    assert _evaluate(born=date(2008, 11, 25)).reason_codes == ["UNDER_18"]
    assert "Aged 17" in _evaluate(born=date(2008, 11, 25)).findings[0].explanation
    assert _evaluate(born=date(2008, 11, 24)).eligible  # 18 today
    assert _evaluate(last=date(2026, 8, 25)).eligible  # under three months old
    too_old = _evaluate(last=date(2026, 8, 24))
    assert too_old.reason_codes == ["OFFENCE_TOO_OLD"] and "24 November 2026" in too_old.findings[0].explanation
    excluded = OffenceFacts(title="Robbery", mode_of_trial="indictable_only", gravity_base=4, inclusion="excluded")
    assert _evaluate(offences=[excluded]).reason_codes == [
        "EXCLUDED_OFFENCE_TYPE",
        "INDICTABLE_ONLY",
        "GRAVITY_TOO_HIGH",
    ]
    driving = OffenceFacts(
        title="Drink driving",
        mode_of_trial="summary_only",
        gravity_base=2,
        inclusion="included",
        flags=frozenset({"driving"}),
    )
    assert _evaluate(offences=[driving]).reason_codes == ["EXCLUDED_OFFENCE_TYPE"]


def test_several_reasons_are_all_reported():
    result = _evaluate(born=date(2010, 1, 1), has_co_accused="yes", evidential_test_met="no")
    assert set(result.reason_codes) == {"UNDER_18", "CO_ACCUSED", "EVIDENTIAL_TEST_NOT_MET"}


def test_unanswered_questions_block_a_verdict():
    answers = {key: value for key, value in ANSWERS.items() if key not in {"victim_view", "identity_method"}}
    result = evaluate(
        DURHAM,
        answers,
        offences=[ASSAULT],
        date_of_birth=date(1990, 1, 1),
        offence_last_on=date(2026, 11, 20),
        offer_date=OFFER,
    )
    assert not result.eligible and result.unanswered == ("victim_view",)  # identity_method is optional
    assert _evaluate(offences=()).unanswered == ("offences",)


@pytest.mark.parametrize(
    ("base", "aggravating", "mitigating", "score"),
    [
        (2, False, False, 2),
        (2, True, False, 3),
        (2, False, True, 1),
        (1, False, True, 1),
        (4, True, False, 4),
        (3, True, True, 3),
    ],
)
def test_gravity_moves_one_level_within_1_to_4(base, aggravating, mitigating, score):
    assert gravity_score(base, aggravating=aggravating, mitigating=mitigating) == score


def test_gravity_above_the_maximum_fails():
    assert _evaluate(
        aggravating=["weapon"],
        offences=[OffenceFacts(title="ABH", mode_of_trial="either_way", gravity_base=3, inclusion="included")],
    ).reason_codes == ["GRAVITY_TOO_HIGH"]


@pytest.mark.parametrize("rule", list(AdmissionRule))
@pytest.mark.parametrize(
    "stance", ["full_admission", "accepts_responsibility", "no_reply_with_evidence", "no_comment", "denial"]
)
def test_admission_rules_by_stance(rule, stance):
    rules = SchemeRules(**{**DURHAM.__dict__, "admission_rule": rule})
    assert _evaluate(rules=rules, admission_stance=stance).eligible is (stance in ACCEPTED_STANCES[rule])


def test_previous_conviction_limit_and_victim_consent_are_configurable():
    strict = SchemeRules(**{**DURHAM.__dict__, "previous_conviction_limit": 1, "victim_consent_required": True})
    assert _evaluate(rules=strict).reason_codes == ["PREVIOUS_CONVICTIONS"]
    assert set(_evaluate(rules=strict, previous_convictions="0", victim_view="not_sought").reason_codes) == {
        "VICTIM_OBJECTS"
    }
    assert _evaluate(victim_view="objects").eligible  # advisory at Durham


def test_answers_are_checked_against_their_question():
    assert answer_problem(QUESTIONS["previous_convictions"], "two") == "Enter a whole number, like 0 or 3"
    assert answer_problem(QUESTIONS["custody_likely"], "maybe") == "Select one of the answers"
    assert answer_problem(QUESTIONS["identity_method"], "") is None
    assert answer_problem(QUESTIONS["custody_likely"], "").startswith("Answer:")


# ---- the statutory time bar (DOMAIN.md §3.4) ---------------------------------------------------

LONG_AGO = SchemeRules(**{**DURHAM.__dict__, "max_offence_age_months": 12})  # the time bar on its own


def test_an_offence_past_its_latest_charge_date_is_time_barred_with_the_dates():
    # 20 May 2026 + 6 months, one day early: the latest charge date was 19 November 2026.
    result = _evaluate(rules=LONG_AGO, last=date(2026, 5, 20))
    assert result.reason_codes == ["TIME_BARRED"]
    explanation = result.findings[0].explanation
    assert "Common assault" in explanation and "19 November 2026" in explanation and "20 May 2026" in explanation


def test_an_offence_past_its_decision_deadline_is_time_barred_with_its_own_explanation():
    # Latest charge date 15 December 2026; minus 21 days, the decision deadline was 24 November 2026.
    assert _evaluate(rules=LONG_AGO, last=date(2026, 6, 16)).eligible  # deadline 25 Nov: still open today
    result = _evaluate(rules=LONG_AGO, last=date(2026, 6, 15))
    assert result.eligible is False and result.reason_codes == ["TIME_BARRED"]
    explanation = result.findings[0].explanation
    assert "decision deadline was 23 November 2026" in explanation
    assert "latest charge date of 14 December 2026" in explanation and "21 days" in explanation


def test_only_offences_where_s127_applies_have_a_time_bar():
    either_way = OffenceFacts(
        title="Theft from a shop", mode_of_trial="either_way", gravity_base=1, inclusion="included"
    )
    assert _evaluate(rules=LONG_AGO, offences=[either_way], last=date(2026, 1, 1)).eligible
    summary = OffenceFacts(
        title="Common assault", mode_of_trial="summary_only", gravity_base=2, inclusion="included", s127_applies=True
    )
    barred = _evaluate(rules=LONG_AGO, offences=[either_way, summary], last=date(2026, 1, 1))
    assert barred.reason_codes == ["TIME_BARRED"] and "Theft" not in barred.findings[0].explanation


def test_the_time_bar_is_reported_beside_the_offence_age():
    assert set(_evaluate(last=date(2026, 5, 20)).reason_codes) == {"OFFENCE_TOO_OLD", "TIME_BARRED"}


# ---- gravity factors, previous convictions, follow-up questions -------------------------------


@pytest.mark.parametrize(
    ("aggravating", "mitigating", "score"),
    [
        (["none"], ["none"], 2),
        (["weapon"], ["none"], 3),
        (["weapon", "planned"], ["none"], 3),  # several factors still move one level
        (["none"], ["early_admission"], 1),
        (["weapon"], ["early_admission"], 2),
    ],
)
def test_chosen_factors_move_the_base_score(aggravating, mitigating, score):
    result = _evaluate(aggravating=aggravating, mitigating=mitigating)
    assert result.gravity == score and result.gravity_base == 2


def test_none_within_years_counts_only_recent_convictions():
    rules = SchemeRules(**{**DURHAM.__dict__, "previous_conviction_years": 5})
    assert _evaluate(rules=rules, last_conviction_on="2021-11-24").eligible  # exactly five years ago
    recent = _evaluate(rules=rules, last_conviction_on="2021-11-25")
    assert recent.reason_codes == ["PREVIOUS_CONVICTIONS"]
    assert recent.findings[0].explanation == (
        "The most recent conviction was on 25 November 2021, within 5 years of the offer; the scheme allows "
        "none since 24 November 2021."
    )
    assert _evaluate(rules=rules, previous_convictions="0", last_conviction_on="").eligible


def test_a_local_exclusion_says_which_one_applied():
    result = _evaluate(local_exclusion="yes", local_exclusion_which="repeat_weapon")
    assert result.findings[0].explanation == "A local exclusion applies: Repeat knife or weapon possession."
    other = _evaluate(local_exclusion="yes", local_exclusion_which="other", local_exclusion_detail="Serious disorder")
    assert other.findings[0].explanation == "A local exclusion applies: Serious disorder."


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"last_conviction_on": ""}, ("last_conviction_on",)),
        ({"local_exclusion": "yes"}, ("local_exclusion_which",)),
        ({"local_exclusion": "yes", "local_exclusion_which": "other"}, ("local_exclusion_detail",)),
        ({"risk_band": "moderate"}, ("risk_band_source",)),
        ({"evidential_decided_by": "", "gravity_rationale": " "}, ("evidential_decided_by", "gravity_rationale")),
        ({"aggravating": []}, ("aggravating",)),
    ],
)
def test_follow_up_questions_are_needed_only_after_the_answer_that_asks_for_them(changes, missing):
    assert _evaluate(**changes).unanswered == missing
    assert _evaluate(previous_convictions="0", last_conviction_on="").unanswered == ()


CONTEXT = AnswerContext(
    today=OFFER, time_now=time(10, 0), date_of_birth=date(1990, 1, 1), offence_first_on=date(2026, 11, 20)
)


@pytest.mark.parametrize(
    ("slug", "changes", "expected"),
    [
        ("evidence", {"evidential_decided_on": "2026-11-25"}, ("evidential_decided_on", "today or in the past")),
        ("evidence", {"evidential_decided_on": "2026-11-19"}, ("evidential_decided_on", "on or after the date")),
        (
            "evidence",
            {"evidential_decided_on": "2026-11-24", "evidential_decided_time": "10:01"},
            ("evidential_decided_time", "must be in the past"),
        ),
        ("evidence", {"evidential_decided_by": ""}, ("evidential_decided_by", "Enter who made")),
        ("gravity", {"aggravating": ["none", "weapon"]}, ("aggravating", "not both")),
        ("gravity", {"mitigating": ["no_such_factor"]}, ("mitigating", "Select from the list")),
        ("gravity", {"gravity_rationale": "x" * 2001}, ("gravity_rationale", "2000 characters or fewer")),
        ("seriousness", {"last_conviction_on": "2027-01-01"}, ("last_conviction_on", "must be in the past")),
        ("seriousness", {"last_conviction_on": "1989-01-01"}, ("last_conviction_on", "after the person's date")),
        ("seriousness", {"last_conviction_on": ""}, ("last_conviction_on", "Enter the date of the most recent")),
    ],
)
def test_answers_that_cannot_be_true_are_refused_by_the_question(slug, changes, expected):
    problems = answer_problems(SECTION_BY_SLUG[slug], {**ANSWERS, **changes}, CONTEXT)
    assert len(problems) == 1 and problems[0][0] == expected[0] and expected[1] in problems[0][1]
    assert answer_problems(SECTION_BY_SLUG[slug], ANSWERS, CONTEXT) == []


def test_answers_read_back_as_the_sergeant_gave_them():
    assert shown(QUESTIONS["aggravating"], ["weapon", "planned"]) == (
        "A weapon was used or threatened; Planned or premeditated"
    )
    assert shown(QUESTIONS["evidential_decided_on"], "2026-11-23") == "23 November 2026"
    assert shown(QUESTIONS["evidential_decided_time"], "21:30") == "9:30pm"
    assert shown(QUESTIONS["risk_band"], "moderate") == "Moderate"
    assert shown(QUESTIONS["risk_band_source"], "") == ""
    legacy = next(q for q in RETIRED if q.key == "aggravating_factors")
    assert shown(legacy, "no") == "No"  # answers to questions no longer asked still read back


@pytest.mark.parametrize(
    ("latest", "safe"),
    [
        (date(2027, 5, 19), date(2026, 12, 28)),  # 28 Dec + 4 months = 28 Apr; + 21 days = 19 May
        (date(2027, 3, 31), date(2026, 11, 10)),
        (date(2027, 6, 21), date(2027, 1, 31)),  # 31 Jan + 4 months lands on 31 May
    ],
)
def test_the_last_safe_day_to_start_a_standard_term(latest, safe):
    assert latest_safe_start(latest, months=4, margin_days=21) == safe
    assert contract_end_date(safe, months=4) + timedelta(days=21) <= latest
    assert contract_end_date(safe + timedelta(days=1), months=4) + timedelta(days=21) > latest
