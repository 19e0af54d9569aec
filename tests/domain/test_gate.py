"""The eligibility checklist: each reason triggered by one change to an eligible set of answers."""

from __future__ import annotations

from datetime import date

import pytest

from casework.domain.gate import (
    ACCEPTED_STANCES,
    AdmissionRule,
    OffenceFacts,
    SchemeRules,
    answer_problem,
    evaluate,
    gravity_score,
)
from casework.domain.gate_questions import QUESTIONS, Reason

OFFER = date(2026, 11, 24)
DURHAM = SchemeRules(
    min_age=18,
    max_offence_age_months=3,
    admission_rule=AdmissionRule.ADMISSION_OR_NO_REPLY,
    exclude_indictable_only=True,
    max_gravity_without_override=3,
    previous_conviction_limit=None,
    victim_consent_required=False,
)
ASSAULT = OffenceFacts(title="Common assault", mode_of_trial="summary_only", gravity_base=2, inclusion="included")
ANSWERS = {
    "identity_confirmed": "yes",
    "identity_method": "pnc",
    "lives_in_force_area": "yes",
    "offence_in_force_area": "yes",
    "evidential_test_met": "yes",
    "admission_stance": "full_admission",
    "understands_obligations": "yes",
    "aggravating_factors": "no",
    "mitigating_factors": "no",
    "previous_convictions": "2",
    "custody_likely": "no",
    "local_exclusion": "no",
    "subject_to_court_order": "no",
    "under_supervision": "no",
    "on_bail_other_matter": "no",
    "held_for_court": "no",
    "mha_detention": "no",
    "has_co_accused": "no",
    "victim_view": "supports",
    "risk_band": "none",
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
        aggravating_factors="yes",
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
