"""The eligibility checklist's questions, E1-E20 (DOMAIN.md §2.1), grouped into the pages the
custody sergeant answers, and the reason codes a failed answer produces (§2.4)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    UNDER_18 = "UNDER_18"
    OUT_OF_AREA = "OUT_OF_AREA"
    OFFENCE_OUT_OF_AREA = "OFFENCE_OUT_OF_AREA"
    OFFENCE_TOO_OLD = "OFFENCE_TOO_OLD"
    EVIDENTIAL_TEST_NOT_MET = "EVIDENTIAL_TEST_NOT_MET"
    DENIES_OFFENCE = "DENIES_OFFENCE"
    NO_CAPACITY_TO_CONSENT = "NO_CAPACITY_TO_CONSENT"
    EXCLUDED_OFFENCE_TYPE = "EXCLUDED_OFFENCE_TYPE"
    INDICTABLE_ONLY = "INDICTABLE_ONLY"
    GRAVITY_TOO_HIGH = "GRAVITY_TOO_HIGH"
    SUBJECT_TO_ORDER = "SUBJECT_TO_ORDER"
    ON_BAIL_OTHER_MATTER = "ON_BAIL_OTHER_MATTER"
    HELD_FOR_COURT = "HELD_FOR_COURT"
    MHA_DETENTION = "MHA_DETENTION"
    CO_ACCUSED = "CO_ACCUSED"
    PREVIOUS_CONVICTIONS = "PREVIOUS_CONVICTIONS"
    CUSTODY_LIKELY = "CUSTODY_LIKELY"
    VICTIM_OBJECTS = "VICTIM_OBJECTS"
    IDENTITY_NOT_CONFIRMED = "IDENTITY_NOT_CONFIRMED"
    LOCAL_EXCLUSION = "LOCAL_EXCLUSION"


@dataclass(frozen=True)
class Question:
    key: str
    criterion: str
    text: str
    choices: tuple[tuple[str, str], ...] = (("yes", "Yes"), ("no", "No"))
    failing: str | None = None  # the answer that fails the gate outright
    reason: Reason | None = None
    hint: str | None = None
    number: bool = False
    optional: bool = False


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    questions: tuple[Question, ...]


Q = Question
SECTIONS = (
    Section(
        "identity",
        "Identity and residence",
        (
            Q(
                "identity_confirmed",
                "E19",
                "Has the person's identity been confirmed?",
                failing="no",
                reason=Reason.IDENTITY_NOT_CONFIRMED,
            ),
            Q(
                "identity_method",
                "E19",
                "How was it confirmed?",
                choices=(
                    ("biometrics", "Custody biometrics"),
                    ("pnc", "PNC record"),
                    ("document", "Identity document"),
                    ("other", "Other"),
                ),
                optional=True,
            ),
            Q(
                "lives_in_force_area",
                "E2",
                "Does the person live in the force area, at an address that can be checked?",
                failing="no",
                reason=Reason.OUT_OF_AREA,
            ),
            Q(
                "offence_in_force_area",
                "E3",
                "Was the offence committed in the force area?",
                failing="no",
                reason=Reason.OFFENCE_OUT_OF_AREA,
            ),
        ),
    ),
    Section(
        "evidence",
        "Evidence and admission",
        (
            Q(
                "evidential_test_met",
                "E5",
                "Is there enough evidence to charge (the evidential stage of the Full Code Test)?",
                failing="no",
                reason=Reason.EVIDENTIAL_TEST_NOT_MET,
            ),
            Q(
                "admission_stance",
                "E6",
                "What did the person say in interview?",
                choices=(
                    ("full_admission", "Admitted the offence"),
                    ("accepts_responsibility", "Accepted responsibility"),
                    ("no_reply_with_evidence", "No reply, with enough evidence"),
                    ("no_comment", "No comment, no denial"),
                    ("denial", "Denied the offence"),
                ),
            ),
            Q(
                "understands_obligations",
                "E7",
                "Does the person fully understand what they would be agreeing to?",
                failing="no",
                reason=Reason.NO_CAPACITY_TO_CONSENT,
                hint="With an interpreter, legal advice or an appropriate adult where needed.",
            ),
        ),
    ),
    Section(
        "seriousness",
        "Seriousness and history",
        (
            Q(
                "aggravating_factors",
                "E10",
                "Are there aggravating factors that make the offence more serious?",
                hint="For example, a vulnerable victim, a breach of trust, or offending while on bail.",
            ),
            Q(
                "mitigating_factors",
                "E10",
                "Are there mitigating factors that make it less serious?",
                hint="For example, a minor part in the offence, or genuine remorse with an early admission.",
            ),
            Q(
                "previous_convictions",
                "E15",
                "How many previous convictions does the person have?",
                choices=(),
                number=True,
            ),
            Q(
                "custody_likely",
                "E16",
                "Would a custodial sentence be likely on conviction?",
                failing="yes",
                reason=Reason.CUSTODY_LIKELY,
            ),
            Q(
                "local_exclusion",
                "E20",
                "Does a local exclusion apply?",
                failing="yes",
                reason=Reason.LOCAL_EXCLUSION,
                hint="For example, repeat knife possession, or foreign national offender rules.",
            ),
        ),
    ),
    Section(
        "circumstances",
        "Current circumstances",
        (
            Q(
                "subject_to_court_order",
                "E11",
                "Is the person subject to a court order, suspended sentence or conditional discharge?",
                failing="yes",
                reason=Reason.SUBJECT_TO_ORDER,
            ),
            Q(
                "under_supervision",
                "E11",
                "Is the person under supervision by probation or another statutory agency?",
                failing="yes",
                reason=Reason.SUBJECT_TO_ORDER,
            ),
            Q(
                "on_bail_other_matter",
                "E12",
                "Is the person on police or court bail for another matter?",
                failing="yes",
                reason=Reason.ON_BAIL_OTHER_MATTER,
            ),
            Q(
                "held_for_court",
                "E13",
                "Is the person being held for court?",
                failing="yes",
                reason=Reason.HELD_FOR_COURT,
            ),
            Q(
                "mha_detention",
                "E13",
                "Is the person detained under the Mental Health Act?",
                failing="yes",
                reason=Reason.MHA_DETENTION,
            ),
            Q("has_co_accused", "E14", "Is there a co-accused?", failing="yes", reason=Reason.CO_ACCUSED),
        ),
    ),
    Section(
        "victim",
        "Victim and risk",
        (
            Q(
                "victim_view",
                "E18",
                "What are the victim's views on a deferred prosecution?",
                choices=(
                    ("supports", "Supports it"),
                    ("objects", "Objects"),
                    ("not_sought", "Not yet sought"),
                    ("no_victim", "There is no identifiable victim"),
                ),
            ),
            Q(
                "risk_band",
                "E17",
                "Risk band supplied by the force, if any",
                choices=(("none", "None supplied"), ("low", "Low"), ("moderate", "Moderate"), ("high", "High")),
                hint="Advisory only: it never decides eligibility on its own.",
            ),
        ),
    ),
)
QUESTIONS = {question.key: question for section in SECTIONS for question in section.questions}
SECTION_BY_SLUG = {section.slug: section for section in SECTIONS}

REASON_TEXT = {
    Reason.UNDER_18: "Aged {age} on the day of the offer; the scheme's minimum age is {min_age}.",
    Reason.OUT_OF_AREA: "Does not live in the force area at a verifiable address.",
    Reason.OFFENCE_OUT_OF_AREA: "The offence was not committed in the force area.",
    Reason.OFFENCE_TOO_OLD: "The offence ended on {offence_last}; offers must be made before {too_old_from}.",
    Reason.EVIDENTIAL_TEST_NOT_MET: "There is not enough evidence to charge.",
    Reason.DENIES_OFFENCE: "The interview answer does not meet the scheme's admission rule.",
    Reason.NO_CAPACITY_TO_CONSENT: "The person does not fully understand what they would agree to.",
    Reason.EXCLUDED_OFFENCE_TYPE: "{offence} is excluded from the scheme.",
    Reason.INDICTABLE_ONLY: "{offence} is indictable-only.",
    Reason.GRAVITY_TOO_HIGH: "Gravity score {gravity} is above the scheme's maximum of {max_gravity}.",
    Reason.SUBJECT_TO_ORDER: "Subject to a court order or statutory supervision.",
    Reason.ON_BAIL_OTHER_MATTER: "On bail for another matter.",
    Reason.HELD_FOR_COURT: "Being held for court.",
    Reason.MHA_DETENTION: "Detained under the Mental Health Act.",
    Reason.CO_ACCUSED: "There is a co-accused.",
    Reason.PREVIOUS_CONVICTIONS: "{count} previous convictions; the scheme allows at most {limit}.",
    Reason.CUSTODY_LIKELY: "A custodial sentence would be likely.",
    Reason.VICTIM_OBJECTS: "The scheme needs the victim's agreement, and it has not been given.",
    Reason.IDENTITY_NOT_CONFIRMED: "The person's identity has not been confirmed.",
    Reason.LOCAL_EXCLUSION: "A local exclusion applies.",
}
