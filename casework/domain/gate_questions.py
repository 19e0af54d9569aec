"""The eligibility checklist's questions, E1-E20 (DOMAIN.md §2.1), grouped into the pages the
custody sergeant answers; a failed answer produces its reason code (gate_reasons, §2.4)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from casework.domain import gravity
from casework.domain.gate_reasons import Reason

VICTIM_VIEWS = (
    ("supports", "Supports it"),
    ("objects", "Objects"),
    ("not_sought", "Not yet sought"),
    ("no_victim", "There is no identifiable victim"),
)


class Kind(StrEnum):
    """How a question is answered, and so how it is asked, checked and shown."""

    CHOICE = "choice"  # one of `choices`
    FACTORS = "factors"  # several of `choices`, or "none" alone; stored as a list
    NUMBER = "number"
    TEXT = "text"  # a short line, such as a name
    PARAGRAPH = "paragraph"  # a written rationale
    DATE = "date"  # a Europe/London date, stored as YYYY-MM-DD
    TIME = "time"  # a Europe/London time of day, stored as HH:MM


YES_NO = (("yes", "Yes"), ("no", "No"))
TEXT_LIMITS = {Kind.TEXT: 120, Kind.PARAGRAPH: 2000}


@dataclass(frozen=True)
class Question:
    key: str
    criterion: str
    text: str
    choices: tuple[tuple[str, str], ...] = YES_NO
    failing: str | None = None  # the answer that fails the gate outright
    reason: Reason | None = None
    hint: str | None = None
    kind: Kind = Kind.CHOICE
    optional: bool = False
    missing: str | None = None  # the message when a needed answer is left blank
    # A follow-up asked only after some answers (the date of the last conviction, when there is one).
    needed_if: Callable[[Mapping[str, Any]], bool] | None = None

    def asked(self, answers: Mapping[str, Any]) -> bool:
        return self.needed_if is None or self.needed_if(answers)

    def needed(self, answers: Mapping[str, Any]) -> bool:
        return not self.optional and self.asked(answers)

    def label(self, value: str) -> str:
        return next((label for choice, label in self.choices if choice == value), value)


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    questions: tuple[Question, ...]


def _has_convictions(answers: Mapping[str, Any]) -> bool:
    count = str(answers.get("previous_convictions", "")).strip()
    return count.isdigit() and int(count) > 0


def _answered(key: str, *values: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda answers: answers.get(key) in values


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
                "evidential_decided_by",
                "E5",
                "Who made the evidential decision?",
                kind=Kind.TEXT,
                missing="Enter who made the evidential decision",
                hint="Name and rank, or collar number. For example, DS 1234 Patel.",
            ),
            Q(
                "evidential_decided_on",
                "E5",
                "Date of the evidential decision",
                kind=Kind.DATE,
                missing="Enter the date of the evidential decision",
            ),
            Q(
                "evidential_decided_time",
                "E5",
                "Time of the evidential decision",
                kind=Kind.TIME,
                missing="Enter the time of the evidential decision",
                hint="For example, 9:30pm or 21:30",
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
        "gravity",
        "Gravity score",
        (
            Q(
                "aggravating",
                "E10",
                "Which aggravating factors apply?",
                choices=gravity.AGGRAVATING,
                kind=Kind.FACTORS,
                hint="Select all that apply. Any of them moves the score up one level.",
                missing="Select the aggravating factors that apply, or 'None of these'",
            ),
            Q(
                "mitigating",
                "E10",
                "Which mitigating factors apply?",
                choices=gravity.MITIGATING,
                kind=Kind.FACTORS,
                hint="Select all that apply. Any of them moves the score down one level.",
                missing="Select the mitigating factors that apply, or 'None of these'",
            ),
            Q(
                "gravity_rationale",
                "E10",
                "Why is the final gravity score right for this offence?",
                kind=Kind.PARAGRAPH,
                missing="Explain why the final gravity score is right",
                hint="The gravity matrix asks for the rationale to be recorded, including any departure from it.",
            ),
        ),
    ),
    Section(
        "seriousness",
        "Seriousness and history",
        (
            Q(
                "previous_convictions",
                "E15",
                "How many previous convictions does the person have?",
                choices=(),
                kind=Kind.NUMBER,
            ),
            Q(
                "last_conviction_on",
                "E15",
                "Date of the most recent conviction (if there are any)",
                kind=Kind.DATE,
                hint="For example, 14/6/2022. Leave blank if there are none.",
                missing="Enter the date of the most recent conviction",
                needed_if=_has_convictions,
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
            Q(
                "local_exclusion_which",
                "E20",
                "Which local exclusion applies (if one does)?",
                choices=(
                    ("repeat_weapon", "Repeat knife or weapon possession"),
                    ("foreign_national", "Foreign national offender rules"),
                    ("football", "Football-related offending"),
                    ("other", "Another local exclusion"),
                ),
                needed_if=_answered("local_exclusion", "yes"),
                missing="Select which local exclusion applies",
            ),
            Q(
                "local_exclusion_detail",
                "E20",
                "Describe the other local exclusion",
                kind=Kind.TEXT,
                hint="Only if you chose another local exclusion.",
                missing="Describe the other local exclusion",
                needed_if=_answered("local_exclusion_which", "other"),
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
                choices=VICTIM_VIEWS,
            ),
            Q(
                "risk_band",
                "E17",
                "Risk band supplied by the force, if any",
                choices=(("none", "None supplied"), ("low", "Low"), ("moderate", "Moderate"), ("high", "High")),
                hint="Advisory only: it never decides eligibility on its own.",
            ),
            Q(
                "risk_band_source",
                "E17",
                "Where does the risk band come from (if one was supplied)?",
                kind=Kind.TEXT,
                hint="For example, the force's risk assessment tool and its version.",
                missing="Enter where the risk band comes from",
                needed_if=_answered("risk_band", "low", "moderate", "high"),
            ),
        ),
    ),
)
QUESTIONS = {question.key: question for section in SECTIONS for question in section.questions}
SECTION_BY_SLUG = {section.slug: section for section in SECTIONS}

# Questions the checklist no longer asks. Cases answered before the change keep these answers,
# and the record still shows them as they were given.
RETIRED = (
    Q("aggravating_factors", "E10", "Are there aggravating factors that make the offence more serious?"),
    Q("mitigating_factors", "E10", "Are there mitigating factors that make it less serious?"),
)
