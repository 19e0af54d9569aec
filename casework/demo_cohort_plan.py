"""Who is in the demo's Checkpoint-shaped cohort and what happens to each of them (DOMAIN.md §8.1),
drawn from a seeded random generator before anything is written: the same seed gives the same
people and the same fates, so the reports show the same figures every time the demo is loaded.

The shape follows what the Checkpoint evaluations report: about half with no previous convictions
and some with many (S8), most who sign complete, about 5.6% commit a new offence during the
four-month contract (S6), and about 35% of completers reoffend within 24 months (S6). The headline
shares are quotas over the people they apply to, not independent draws, so they hold exactly
whatever the seed; the details (ages, offences, which check-in is missed) are drawn.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from casework.domain.people import ETHNICITIES

COHORT_SIZE = 500
COHORT_SEED = 2016  # the year the Checkpoint trial began randomising
# Custody gates started over the 18 months before the demo's "now".
WINDOW_DAYS = 548
# A gate this long ago has had time for the whole contract and its sign-off: the fates of these
# people are all played out by now; later ones may still be running.
PLAYED_OUT_DAYS = 185

# At the gate (of everyone): the rest accept.
INELIGIBLE, NOT_OFFERED, DECLINED = 0.09, 0.03, 0.07
# Of those who accept: the rest sign a contract.
NO_CONTACT, REFUSES_CONTRACT = 0.04, 0.02
# Of those who sign. The rest complete (some after an absence and a warning).
NEW_OFFENCE = 0.056  # S6: 5.6% reoffended during the contract
ABSENCES_TERMINATED = 0.08
WITHDRAWS = 0.02
CONDUCT_WARNED = 0.01
CONDITION_LATE = 0.03
# Reoffending within 24 months of the follow-up's start (S6: 35% of completers against 48% of the
# control group); people with previous convictions reoffend more, so that the cohort averages 35%.
REOFFENDS_COMPLETED = {False: 0.25, True: 0.45}
REOFFENDS_ENDED_EARLY = 0.55
NO_PREVIOUS_CONVICTIONS = 0.5

# Self-defined ethnicity, in people per thousand: mostly White British, as in County Durham, with
# every group present so that the reports show suppression at work on the smaller ones.
ETHNICITY_MIX = {
    "white_british": 775,
    "white_irish": 10,
    "white_gypsy_traveller": 12,
    "white_other": 35,
    "mixed_white_black_caribbean": 12,
    "mixed_white_black_african": 5,
    "mixed_white_asian": 6,
    "mixed_other": 5,
    "asian_indian": 8,
    "asian_pakistani": 15,
    "asian_bangladeshi": 6,
    "asian_chinese": 4,
    "asian_other": 6,
    "black_african": 14,
    "black_caribbean": 8,
    "black_other": 4,
    "other_arab": 5,
    "other_any": 5,
    "not_stated": 55,
}
assert set(ETHNICITY_MIX) == {code for code, _ in ETHNICITIES}
SEX_MIX = {"male": 76, "female": 22, "not_stated": 2}
DISABILITY_MIX = {"no": 70, "yes": 20, "not_stated": 10}
AGE_MIX = {(18, 24): 30, (25, 34): 32, (35, 44): 20, (45, 54): 12, (55, 70): 6}

# Offences of those who get as far as the offer, with whether each has an identifiable victim.
OFFENCE_MIX = {
    "THEFT-SHOP": 27,
    "DRUG-POSS-B": 14,
    "DRUG-POSS-A": 8,
    "CRIM-DAMAGE": 12,
    "ASSAULT-COMMON": 9,
    "THEFT-OTHER": 6,
    "PO-S4A": 5,
    "PO-S5": 4,
    "FRAUD-FALSE-REP": 4,
    "MALICIOUS-COMMS": 3,
    "HARASSMENT": 2,
    "BURGLARY-OTHER": 2,
    "ASSAULT-EMERGENCY": 2,
    "BURGLARY-DWELLING": 2,
}
NO_VICTIM_OFFENCES = frozenset({"DRUG-POSS-A", "DRUG-POSS-B", "PO-S5"})
# Why the ineligible were: the checklist answers (and offence, age) that fail it, by reason code.
INELIGIBLE_MIX = {
    "ON_BAIL_OTHER_MATTER": 10,
    "SUBJECT_TO_ORDER": 8,
    "DENIES_OFFENCE": 7,
    "CO_ACCUSED": 5,
    "EXCLUDED_OFFENCE_TYPE": 5,
    "GRAVITY_TOO_HIGH": 3,
    "OFFENCE_TOO_OLD": 3,
    "UNDER_18": 2,
    "CUSTODY_LIKELY": 2,
    "LOCAL_EXCLUSION": 2,
}
NOT_OFFERED_MIX = {"officer_discretion": 9, "custody_likely": 3, "other": 3}
DECLINE_MIX = {"wants_to_contest": 12, "legal_advice": 10, "cannot_commit": 7, "rejects_conditions": 4, "other": 2}
ALTERNATIVES = {"charge": 45, "caution": 20, "community_resolution": 20, "nfa": 10, "released_under_investigation": 5}
# How a case that ended early was closed: (route, code).
DECISION_MIX = {("charged", 1): 70, ("alternative", 3): 14, ("no_further_action", 21): 10, ("evidential", 15): 6}
# The needs a navigator finds, each with a partner service in the demo directory.
NEED_MIX = {
    "drugs": 30,
    "alcohol": 20,
    "mental_health": 20,
    "accommodation": 12,
    "finance": 10,
    "education_employment": 8,
}


@dataclass(frozen=True)
class Fate:
    """One person in the cohort and what happens to them, in days and choices, not yet in rows."""

    number: int
    team: int  # 0 or 1, the demo team whose custody suite saw them
    navigator: int  # 0 or 1, which of the team's navigators works the case
    gate_days_ago: int
    gate_clock: str
    age: int  # on the day of the gate
    sex: str
    ethnicity: str
    disability: str
    previous_convictions: int
    last_conviction_days_before: int | None
    offence: str
    offence_days_before: int
    failing: str | None  # the reason code an ineligible person's answers produce
    victim_view: str  # the checklist's answer (E18)
    victim_record_at_offer: bool
    victim_wants_updates: bool
    victim_wants_restorative: bool
    offer: str  # ineligible / not_offered / declined / accepted
    offer_reason: str | None
    alternative: str | None
    course: str | None  # for those who accept: no_contact, refuses, or what happens under contract
    needs: tuple[tuple[str, int], ...] = ()
    # Check-in positions (from 0) and what happens there: late, acceptable, unacceptable.
    check_ins: dict[int, str] = field(default_factory=dict)
    event_day: int = 0  # days after signing that a new offence, withdrawal or conduct breach happens
    suspended: bool = False  # a new offence: remanded, then released and the term resumed
    decision: tuple[str, int] = ("charged", 1)
    exit_assessed: bool = True
    # Months after the follow-up's start that they next offend; None: not within 24 months.
    reoffends_in_months: int | None = None
    first_appointment_days: int = 2
    step_days: tuple[int, ...] = (2, 4, 3, 2)  # assessment, draft, signing, decision gaps


def plan(size: int = COHORT_SIZE, seed: int = COHORT_SEED) -> list[Fate]:
    """The cohort, oldest gate first."""
    rng = random.Random(seed)
    paths = quota(
        rng,
        size,
        {"ineligible": INELIGIBLE, "not_offered": NOT_OFFERED, "declined": DECLINED},
        rest="accepted",
    )
    days = sorted((rng.randint(1, WINDOW_DAYS) for _ in range(size)), reverse=True)
    none_before = set(rng.sample(range(size), round(size * NO_PREVIOUS_CONVICTIONS)))
    accepted = [i for i in range(size) if paths[i] == "accepted"]
    after = dict(
        zip(
            accepted,
            quota(rng, len(accepted), {"no_contact": NO_CONTACT, "refuses": REFUSES_CONTRACT}, rest="signs"),
            strict=True,
        )
    )
    signed = [i for i in accepted if after[i] == "signs"]
    courses = {}
    shares = {
        "new_offence": NEW_OFFENCE,
        "absences": ABSENCES_TERMINATED,
        "withdraws": WITHDRAWS,
        "conduct": CONDUCT_WARNED,
        "condition_late": CONDITION_LATE,
    }
    # Quotas within those played out and within the rest, so the shares hold among finished contracts.
    for stratum in (
        [i for i in signed if days[i] >= PLAYED_OUT_DAYS],
        [i for i in signed if days[i] < PLAYED_OUT_DAYS],
    ):
        courses.update(zip(stratum, quota(rng, len(stratum), shares, rest="completes"), strict=True))
    return [
        _fate(rng, i, days[i], paths[i], after.get(i) if after.get(i) != "signs" else courses[i], i in none_before)
        for i in range(size)
    ]


def quota(rng: random.Random, size: int, shares: dict[str, float], *, rest: str) -> list[str]:
    """Each label its share of `size`, rounded, the rest `rest`, in a shuffled order."""
    labels = [label for label, share in shares.items() for _ in range(round(size * share))]
    labels += [rest] * (size - len(labels))
    rng.shuffle(labels)
    return labels


def _pick(rng: random.Random, mix: dict):
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def _fate(rng: random.Random, number: int, gate_days_ago: int, offer: str, course: str | None, clean: bool) -> Fate:
    low, high = _pick(rng, AGE_MIX)
    failing = _pick(rng, INELIGIBLE_MIX) if offer == "ineligible" else None
    offence = _pick(rng, OFFENCE_MIX)
    if failing == "EXCLUDED_OFFENCE_TYPE":
        offence = rng.choice(["DRINK-DRIVE", "CRIM-DAMAGE-RA"])
    elif failing == "GRAVITY_TOO_HIGH":
        offence = "ASSAULT-ABH"
    elif course in ("new_offence", "absences", "withdraws"):
        # Either-way offences only where a contract may be paused or end early: no s.127 limit to race.
        offence = rng.choice(["THEFT-SHOP", "DRUG-POSS-B", "CRIM-DAMAGE", "THEFT-OTHER", "DRUG-POSS-A"])
    count = 0 if clean else _convictions(rng)
    # A new offence with a remand: released, the charge dropped, and the term resumed to completion.
    # It comes after the conditions are met, so the paused weeks hold no due date.
    suspended = course == "new_offence" and rng.random() < 0.15
    has_victim = offence not in NO_VICTIM_OFFENCES
    view = rng.choices(["supports", "objects", "not_sought"], weights=[60, 12, 28])[0] if has_victim else "no_victim"
    if offence == "BURGLARY-DWELLING":
        view = "supports"  # its terms: referred only with the victim's views sought and no objection
    needs = tuple(
        (domain, level)
        for domain, level in zip(
            rng.sample(list(NEED_MIX), k=2, counts=list(NEED_MIX.values())), (3, rng.choice([1, 2, 2, 3])), strict=True
        )
    )
    if needs[0][0] == needs[1][0]:
        needs = needs[:1]
    return Fate(
        number=number,
        team=rng.randint(0, 1),
        navigator=rng.randint(0, 1),
        gate_days_ago=gate_days_ago,
        gate_clock=f"{rng.choice([1, 2, 3, 10, 13, 15, 17, 19, 20, 21, 22, 23]):02d}:{rng.randrange(0, 60, 5):02d}",
        age=17 if failing == "UNDER_18" else rng.randint(low, high),
        sex=_pick(rng, SEX_MIX),
        ethnicity=_pick(rng, ETHNICITY_MIX),
        disability=_pick(rng, DISABILITY_MIX),
        previous_convictions=count,
        last_conviction_days_before=rng.randint(90, 15 * 365) if count else None,
        offence=offence,
        offence_days_before=rng.randint(100, 140) if failing == "OFFENCE_TOO_OLD" else rng.choice([0, 1, 1, 2, 3, 5]),
        failing=failing,
        victim_view=view,
        victim_record_at_offer=has_victim and rng.random() < 0.6,
        victim_wants_updates=rng.random() < 0.55,
        victim_wants_restorative=rng.random() < 0.2,
        offer=offer,
        offer_reason=_offer_reason(rng, offer),
        alternative=_pick(rng, ALTERNATIVES) if offer != "accepted" else None,
        course=course,
        needs=needs,
        check_ins=_check_ins(rng, course),
        event_day=rng.randint(92, 100) if suspended else rng.randint(14, 100),
        suspended=suspended,
        decision=_pick(rng, DECISION_MIX),
        exit_assessed=rng.random() < 0.9,
        reoffends_in_months=_reoffends(rng, "completes" if suspended else course, clean),
        first_appointment_days=rng.choice([1, 2, 2, 3, 4]),
        step_days=(rng.randint(1, 4), rng.randint(2, 7), rng.randint(1, 5), rng.randint(1, 4)),
    )


def _convictions(rng: random.Random) -> int:
    """Previous convictions of someone who has any: mostly a few, some many (up to 52, as S8 found)."""
    band = rng.choices([(1, 2), (3, 5), (6, 15), (16, 52)], weights=[40, 25, 25, 10])[0]
    return rng.randint(*band)


def _offer_reason(rng: random.Random, offer: str) -> str | None:
    if offer == "not_offered":
        return _pick(rng, NOT_OFFERED_MIX)
    if offer == "declined":
        return _pick(rng, DECLINE_MIX)
    if offer == "ineligible":
        return "ineligible"
    return None


def _check_ins(rng: random.Random, course: str | None) -> dict[int, str]:
    """What happens at which check-in (the others are attended): absences explained and lateness for
    anyone; unacceptable absences where the course has them."""
    if course is None or course in ("no_contact", "refuses"):
        return {}
    marks = {}
    if rng.random() < 0.25:
        marks[rng.randint(0, 8)] = "acceptable"
    if rng.random() < 0.2:
        marks[rng.randint(0, 8)] = "late"
    if course == "absences":
        first = rng.randint(0, 2)
        marks.update({first: "unacceptable", first + 2: "unacceptable", first + 4: "unacceptable"})
    elif course == "completes" and rng.random() < 0.15:
        # One unexplained absence, a formal warning, and no more trouble.
        marks[rng.randint(1, 7)] = "unacceptable"
    return marks


def _reoffends(rng: random.Random, course: str | None, clean: bool) -> int | None:
    """Months to the next offence, front-loaded as reoffending is; None: none within 24 months."""
    if course is None:
        return None  # never referred: no follow-up
    if course == "new_offence":
        return 1  # the offence during the contract itself
    chance = REOFFENDS_COMPLETED[not clean] if course in ("completes", "conduct", "condition_late") else None
    if rng.random() >= (chance if chance is not None else REOFFENDS_ENDED_EARLY):
        return None
    return rng.choices(range(1, 25), weights=[24 - m // 2 for m in range(1, 25)])[0]
