"""The columns of the evaluators' case-level export and its data dictionary, written once side by side
(DOMAIN.md §8.2): each column is its name, what it means, its values or units, where it comes from,
and the function that gives its cell from a case's facts. The CSV's header and the dictionary are
both read from `COLUMNS`, so they cannot drift apart.

A case's facts (`CaseFacts`) carry nothing that identifies anyone: pseudonyms instead of ids, an age
band instead of a date of birth, a month instead of a day, codes instead of free text. No column can
export a name, an address, a reference or a note, because the facts never hold one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from casework.domain.breaches import BreachKind, WarningLevel
from casework.domain.check_ins import ATTENDED, Outcome
from casework.domain.contract_terms import ConditionType
from casework.domain.ethnic_groups import HEADLINE_GROUPS, headline_group
from casework.domain.gate_reasons import Reason
from casework.domain.lifecycle import CaseState
from casework.domain.outcome_codes import Route
from casework.domain.people import DISABILITY, ETHNICITIES, SEXES
from casework.domain.victims import REOFFENDING_RESULTS
from casework.services.cases import DECLINE_REASONS, NOT_OFFERED_REASONS
from casework.services.funnel import AGE_BANDS

Cell = str | int | None
# Several values in one cell (offences, reason codes, condition types), in a stable order.
JOIN = "; "
AWAITING = "awaiting_check"
FOLLOW_UP_MONTHS = (12, 24)


@dataclass(frozen=True)
class CaseFacts:
    """What the export may say about one case, gathered by services.evaluator_export."""

    person: str  # pseudonym
    case: str  # pseudonym
    team: str
    gate_started_on: date  # London date; only its month is exported
    state: str
    age_band: str | None = None
    ethnicity: str | None = None
    sex: str | None = None
    disability: str | None = None
    offences: tuple[tuple[str, str], ...] = ()  # (title, mode of trial)
    gravity_score: int | None = None
    provisionally_eligible: bool | None = None
    overridden: bool = False
    reason_codes: tuple[str, ...] = ()
    offer_outcome: str | None = None
    offer_reason: str | None = None
    # London dates of each step, for the intervals between them.
    arrested_on: date | None = None
    consented_on: date | None = None
    first_contact_on: date | None = None
    signed_on: date | None = None
    closed_on: date | None = None
    condition_types: tuple[str, ...] = ()  # the latest signed contract's, one per condition
    check_ins: dict[str, int] = field(default_factory=dict)  # by outcome
    breaches: dict[str, int] = field(default_factory=dict)  # by kind
    warnings: dict[str, int] = field(default_factory=dict)  # by level
    outcome_route: str | None = None
    outcome_code: int | None = None
    reoffending: dict[int, str | None] = field(default_factory=dict)  # months: result (None: not yet checked)


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    values: str
    source: str
    cell: Callable[[CaseFacts], Cell]


def _codes(pairs) -> str:
    return ", ".join(code for code, _ in pairs)


def _days(start: date | None, end: date | None) -> int | None:
    return (end - start).days if start and end else None


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _follow_up(months: int) -> Callable[[CaseFacts], Cell]:
    def result(facts: CaseFacts) -> Cell:
        if months not in facts.reoffending:
            return None
        return facts.reoffending[months] or AWAITING

    return result


_DAYS = "Whole days (London dates); blank when either step has not happened or was not recorded"
_COUNT = "Whole number, 0 or more"

COLUMNS: tuple[Column, ...] = (
    Column(
        "person_pseudonym",
        "The person, under this export key: the same in every export made with the key, unrelated under any other",
        "P- and 16 hex digits",
        "people.id, keyed hash (HMAC-SHA256) under the export key's secret",
        lambda f: f.person,
    ),
    Column(
        "case_pseudonym",
        "The case, under this export key (a person may have several cases)",
        "C- and 16 hex digits",
        "cases.id, keyed hash (HMAC-SHA256) under the export key's secret",
        lambda f: f.case,
    ),
    Column("team", "The navigator team holding the case", "Team name", "teams.name", lambda f: f.team),
    Column(
        "gate_started_month",
        "The month the custody gate (eligibility check) was started",
        "YYYY-MM, London time",
        "cases.opened_at",
        lambda f: f.gate_started_on.strftime("%Y-%m"),
    ),
    Column(
        "case_state",
        "Where the case stands at the time of the export",
        ", ".join(state.value for state in CaseState if state is not CaseState.WITHDRAWN_IN_ERROR),
        "cases.state",
        lambda f: f.state,
    ),
    Column(
        "age_band",
        "Age on the day the gate was started",
        ", ".join(label for _, label in AGE_BANDS),
        "people.date_of_birth and cases.opened_at (the date of birth itself is not exported)",
        lambda f: f.age_band,
    ),
    Column(
        "sex",
        "Sex as the person gave it; blank if never asked",
        _codes(SEXES),
        "person_monitoring.sex",
        lambda f: f.sex,
    ),
    Column(
        "ethnicity",
        "Self-defined ethnicity (the 18+1 census categories); blank if never asked",
        _codes(ETHNICITIES),
        "person_monitoring.ethnicity",
        lambda f: f.ethnicity,
    ),
    Column(
        "ethnicity_headline_group",
        "The ONS headline group of the self-defined ethnicity; never asked counts as not stated",
        _codes(HEADLINE_GROUPS),
        "person_monitoring.ethnicity, grouped as the ONS groups the census categories",
        lambda f: headline_group(f.ethnicity),
    ),
    Column(
        "disability",
        "Whether the person considers themselves disabled; blank if never asked",
        _codes(DISABILITY),
        "person_monitoring.disability",
        lambda f: f.disability,
    ),
    Column(
        "offence_titles",
        "The offences the case is about, from the scheme's offence catalogue",
        f"Offence titles separated by '{JOIN}'",
        "offences.title via case_offences",
        lambda f: JOIN.join(title for title, _ in f.offences) or None,
    ),
    Column(
        "modes_of_trial",
        "Mode of trial of each offence, in the same order as offence_titles",
        f"summary_only, either_way, indictable_only; separated by '{JOIN}'",
        "offences.mode_of_trial via case_offences",
        lambda f: JOIN.join(mode for _, mode in f.offences) or None,
    ),
    Column(
        "gravity_score",
        "The gravity score the custody gate worked out",
        "1 to 4 (higher is more serious); blank if not worked out",
        "cases.gravity_score",
        lambda f: f.gravity_score,
    ),
    Column(
        "provisionally_eligible",
        "What the eligibility checklist found",
        "yes, no; blank if the checklist was not finished",
        "cases.provisional_eligible",
        lambda f: _yes_no(f.provisionally_eligible),
    ),
    Column(
        "eligibility_overridden",
        "Whether a sergeant or supervisor overrode the checklist's finding, with a recorded rationale",
        "yes, no",
        "cases.override_rationale (whether one was recorded; its text is not exported)",
        lambda f: _yes_no(f.overridden),
    ),
    Column(
        "ineligibility_reason_codes",
        "Why the checklist found the person ineligible",
        f"Codes separated by '{JOIN}': {', '.join(reason.value for reason in Reason)}",
        "cases.reason_codes",
        lambda f: JOIN.join(f.reason_codes) or None,
    ),
    Column(
        "offer_outcome",
        "Whether the scheme was offered, and the person's answer",
        "accepted, declined, not_offered; blank if not yet decided",
        "cases.offer_outcome",
        lambda f: f.offer_outcome,
    ),
    Column(
        "offer_reason_code",
        "Why it was declined or not offered",
        f"Declined: {', '.join(DECLINE_REASONS)}. Not offered: {', '.join(NOT_OFFERED_REASONS)}",
        "cases.offer_reason (the explanation typed beside it is not exported)",
        lambda f: f.offer_reason,
    ),
    Column(
        "days_arrest_to_offer",
        "From the arrest to the offer being accepted (consent given)",
        _DAYS + ". Declined offers have no recorded time, so are blank",
        "cases.arrested_at, cases.consent_at",
        lambda f: _days(f.arrested_on, f.consented_on),
    ),
    Column(
        "days_offer_to_first_contact",
        "From consent to the navigator's first contact",
        _DAYS,
        "cases.consent_at, cases.first_contact_at",
        lambda f: _days(f.consented_on, f.first_contact_on),
    ),
    Column(
        "days_first_contact_to_signature",
        "From first contact to the first signed version of the contract",
        _DAYS,
        "cases.first_contact_at, contracts.signed_at (earliest)",
        lambda f: _days(f.first_contact_on, f.signed_on),
    ),
    Column(
        "contract_conditions",
        "How many conditions the latest signed version of the contract holds",
        _COUNT + "; blank if never signed",
        "contract_conditions of the highest signed contracts.version_number",
        lambda f: len(f.condition_types) if f.signed_on else None,
    ),
    Column(
        "contract_condition_types",
        "The type of each of those conditions (repeated when a type appears twice)",
        f"Codes separated by '{JOIN}': {', '.join(kind.value for kind in ConditionType)}",
        "contract_conditions.type",
        lambda f: JOIN.join(sorted(f.condition_types)) or None,
    ),
    Column(
        "check_ins_attended",
        "Check-ins attended (complied, did not comply, or late)",
        _COUNT,
        "check_ins.outcome",
        lambda f: sum(f.check_ins.get(outcome.value, 0) for outcome in ATTENDED),
    ),
    Column(
        "check_ins_missed_acceptable",
        "Check-ins missed for a reason the navigator accepted",
        _COUNT,
        "check_ins.outcome = acceptable_absence",
        lambda f: f.check_ins.get(Outcome.ACCEPTABLE_ABSENCE.value, 0),
    ),
    Column(
        "check_ins_missed_unacceptable",
        "Check-ins missed without an acceptable reason",
        _COUNT,
        "check_ins.outcome = unacceptable_absence",
        lambda f: f.check_ins.get(Outcome.UNACCEPTABLE_ABSENCE.value, 0),
    ),
    *(
        Column(
            f"breaches_{kind.value}",
            f"Breaches recorded: {kind.label.lower()}",
            _COUNT,
            f"breaches.kind = {kind.value}",
            lambda f, kind=kind: f.breaches.get(kind.value, 0),
        )
        for kind in BreachKind
    ),
    *(
        Column(
            f"warnings_{level.value}",
            f"{level.label}s issued",
            _COUNT,
            f"breach_warnings.level = {level.value}",
            lambda f, level=level: f.warnings.get(level.value, 0),
        )
        for level in WarningLevel
    ),
    Column(
        "outcome_route",
        "How the case ended, once an outcome was recorded",
        ", ".join(route.value for route in Route) + "; blank if no outcome yet",
        "case_outcomes.route",
        lambda f: f.outcome_route,
    ),
    Column(
        "outcome_code",
        "The Home Office crime outcome code recorded (22: diversionary, educational or intervention activity)",
        "Whole number; blank if no outcome yet",
        "case_outcomes.code",
        lambda f: f.outcome_code,
    ),
    Column(
        "days_gate_to_close",
        "From the gate being started to the case being closed",
        _DAYS,
        "cases.opened_at, cases.closed_at",
        lambda f: _days(f.gate_started_on, f.closed_on),
    ),
    *(
        Column(
            f"reoffending_{months}_months",
            f"The {months}-month reoffending follow-up check's result",
            f"{', '.join(REOFFENDING_RESULTS)}, {AWAITING} (due or scheduled, not yet recorded); "
            "blank if no follow-up was scheduled",
            "reoffending_follow_ups.result",
            _follow_up(months),
        )
        for months in FOLLOW_UP_MONTHS
    ),
)

NAMES = tuple(column.name for column in COLUMNS)


def cells(facts: CaseFacts) -> list[Cell]:
    return [column.cell(facts) for column in COLUMNS]
