"""A force's generated history for bench/reports.py: what the reports read, in the proportions a
running scheme has them, for every case from the custody gate to the reoffending checks.

Each case follows one story, cut short where today falls: the gate (about a fifth found ineligible
with reason codes, some of them overridden), the offer (a few eligible people not offered, about one
in seven declining), referral and first contact, an entry assessment, a signed contract with three or
four conditions, check-ins, breaches with their decisions and warnings, completion or termination
and the prosecution decision, an outcome code, the victim's record and the updates owed them, and
the 12- and 24-month reoffending checks. Every person has a date of birth; most have monitoring
(self-defined ethnicity in the 18+1 categories, sex, disability).

Check-ins, assessments with their need scores and partner referrals are written only for cases
opened in the last DETAIL_DAYS days (what the default twelve-month dashboard reads): for a million
cases over eight years they would be about 20 million rows. Suspensions, contract variations and
condition progress are not generated.

Written with bench/caseload_data's loaders (COPY on PostgreSQL with plain indexes and foreign keys
rebuilt afterwards, executemany on SQLite). Seeded: the same size and day give the same data.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text

from bench.caseload_data import BATCH, PNC_LETTERS, Loaded, _copy, _insert_many, _people_names, _stamp, analyze
from casework.domain.needs import NEED_DOMAINS

YEARS = 8
DETAIL_DAYS = 450

# Self-defined ethnicity, roughly as in England and Wales' 2021 census (per thousand), with "not
# stated" as people choose it; a twentieth of people have no monitoring row at all.
ETHNICITY_WEIGHTS = {
    "white_british": 740,
    "white_irish": 9,
    "white_gypsy_traveller": 3,
    "white_other": 62,
    "mixed_white_black_caribbean": 9,
    "mixed_white_black_african": 4,
    "mixed_white_asian": 8,
    "mixed_other": 7,
    "asian_indian": 31,
    "asian_pakistani": 27,
    "asian_bangladeshi": 11,
    "asian_chinese": 7,
    "asian_other": 15,
    "black_african": 25,
    "black_caribbean": 11,
    "black_other": 5,
    "other_arab": 6,
    "other_any": 12,
    "not_stated": 30,
}
GATE_REASONS = {
    "PREVIOUS_CONVICTIONS": 30,
    "GRAVITY_TOO_HIGH": 15,
    "EXCLUDED_OFFENCE_TYPE": 15,
    "DENIES_OFFENCE": 12,
    "OUT_OF_AREA": 6,
    "VICTIM_OBJECTS": 6,
    "ON_BAIL_OTHER_MATTER": 5,
    "CUSTODY_LIKELY": 4,
    "OFFENCE_TOO_OLD": 3,
    "EVIDENTIAL_TEST_NOT_MET": 2,
    "CO_ACCUSED": 2,
}
NOT_OFFERED = ("officer_discretion", "custody_likely", "other")
DECLINED = {"wants_to_contest": 35, "legal_advice": 30, "cannot_commit": 20, "rejects_conditions": 10, "other": 5}
BREACH_KINDS = {"unacceptable_absence": 45, "condition_not_met": 25, "new_offence": 15, "conduct": 10, "withdrawal": 5}
DECISIONS = {"no_action": 25, "final_warning": 40, "vary": 10, "suspend": 5, "terminate": 20}
# After a termination: the prosecution decision, its outcome code and route.
CLOSINGS = (
    ("closed_charged", "charged", 1, 60),
    ("closed_alternative", "alternative", 3, 25),
    ("closed_evidential", "evidential", 15, 10),
    ("closed_time_barred", "time_barred", 17, 5),
)
CHECK_IN_OUTCOMES = {
    "attended_complied": 84,
    "attended_not_complied": 2,
    "late": 4,
    "acceptable_absence": 6,
    "unacceptable_absence": 4,
}
ABSENCE_REASONS = ("medical", "work", "caring", "transport", "court")
CONDITIONS = (
    ("attendance", "Attend every check-in with your navigator", "whole_term", None, None),
    ("education", "Complete the alcohol awareness course", "sessions", 4, "alcohol"),
    ("pathway", "Attend the housing advice service", "sessions", 3, "accommodation"),
    ("reparation", "Write a letter of apology to the victim", "document", None, None),
    ("community", "Complete unpaid community work", "hours", 20, None),
)
PARTNER_PATHWAYS = ("alcohol", "drugs", "accommodation", "mental_health")
REFERRAL_STATUSES = {"completed": 40, "attended": 20, "did_not_attend": 15, "declined": 10, "waitlisted": 15}
TERM_DAYS = 112


@dataclass(frozen=True)
class Staff:
    """Who works each team (team id to ids): navigators, the supervisor, partner services by pathway."""

    navigators: dict[int, list[int]]
    supervisors: dict[int, int]
    partners: dict[int, dict[str, int]]


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


class _Writer:
    """One batch's rows, table by table, and the running ids of the tables written with their own."""

    def __init__(self) -> None:
        self.breach_id = 0
        self.clear()

    def clear(self) -> None:
        self.rows: dict[str, list[tuple]] = {table: [] for table in COLUMNS}

    def add(self, table: str, row: tuple) -> None:
        self.rows[table].append(row)


def _rows(count: int, *, staff: Staff, offence_ids: list[int], now: datetime):
    """Yields (table, rows) a batch at a time, parents before children, so foreign keys hold."""
    rng = random.Random(12)
    teams = sorted(staff.navigators)
    creator = staff.navigators[teams[0]][0]
    today = now.date()
    out = _Writer()
    first, span = now - timedelta(days=YEARS * 365), timedelta(days=YEARS * 365) - timedelta(hours=2)
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        surnames, given = _people_names(rng, size)
        for n in range(size):
            case_id = start + n + 1
            team = teams[case_id % len(teams)]
            # Cases are numbered as they are opened, as the live table numbers them: spread evenly over
            # the years up to an hour ago, a few minutes of jitter apart.
            opened = first + span * (case_id / count) + timedelta(seconds=rng.randrange(0, 600))
            _person(out, rng, case_id, given[n], surnames[n], opened, creator)
            _case(out, rng, case_id, team, opened, now, today, staff, offence_ids)
        yield from out.rows.items()
        out.clear()


def _person(out: _Writer, rng, person_id, given, surname, opened, creator) -> None:
    # Ages at arrest skew young, as a diversion scheme's do; a few are 17 (where a force takes them).
    age_days = int(365.25 * (17 + min(rng.expovariate(1 / 12), 55))) + rng.randrange(365)
    born = opened.date() - timedelta(days=age_days)
    year, serial = opened.year % 100, person_id % 10_000_000
    out.add(
        "people",
        (
            person_id,
            given,
            surname,
            surname.lower(),
            born.isoformat(),
            f"{year:02d}/{serial:07d}{PNC_LETTERS[(year * 10_000_000 + serial) % 23]}",
            f"{rng.randrange(1, 200)} Mill Street",
            "Durham",
            "DH1 3HP",
            "en",
            "0",
            "0",
            "0",
            "0",
            _stamp(opened),
            creator,
            1,
        ),
    )
    if rng.random() < 0.95:
        sex = "male" if rng.random() < 0.74 else ("female" if rng.random() < 0.95 else "not_stated")
        disability = _weighted(rng, {"no": 75, "yes": 15, "not_stated": 10})
        out.add(
            "person_monitoring",
            (person_id, _weighted(rng, ETHNICITY_WEIGHTS), sex, disability, _stamp(opened + timedelta(minutes=20))),
        )


def _case(out: _Writer, rng, case_id, team, opened, now, today, staff: Staff, offence_ids) -> None:
    """One case's story from the gate, stopped where today falls."""
    navigators, supervisor = staff.navigators[team], staff.supervisors[team]
    sergeant = navigators[0]
    navigator = rng.choice(navigators)
    offence_on = opened.date() - timedelta(days=rng.randrange(0, 20))
    row = dict(
        id=case_id,
        reference=f"CP-{opened.year % 100:02d}-{case_id:07d}",
        person_id=case_id,
        team_id=team,
        state="ineligible",
        version=1,
        opened_by_id=sergeant,
        opened_at=_stamp(opened),
        closed_at=None,
        crime_reference=f"DC/{case_id}",
        arrested_at=_stamp(opened - timedelta(hours=rng.randrange(2, 20))),
        offence_first_on=offence_on.isoformat(),
        offence_last_on=offence_on.isoformat(),
        gate_answers="{}",
        provisional_eligible="1",
        reason_codes="[]",
        evaluated_at=_stamp(opened + timedelta(minutes=30)),
        override_rationale=None,
        overridden_by_id=None,
        offer_outcome=None,
        offer_reason=None,
        offer_reason_detail=None,
        alternative_outcome=None,
        consent_at=None,
        referred_at=None,
        latest_charge_on=None,
        decision_deadline_on=None,
        first_appointment_at=None,
        first_appointment_place=None,
        first_contact_at=None,
        navigator_id=None,
        termination_reason=None,
    )
    chosen = rng.sample(offence_ids, 2 if rng.random() < 0.2 else 1)
    for offence in chosen:
        out.add("case_offences", (case_id, offence))
    closed = opened + timedelta(hours=2)

    def close(state: str, when: datetime) -> None:
        row["state"], row["closed_at"] = state, _stamp(when)

    # The gate: about a fifth not provisionally eligible, an eighth of those overridden with a rationale.
    if rng.random() < 0.22:
        codes = sorted({_weighted(rng, GATE_REASONS) for _ in range(1 if rng.random() < 0.8 else 2)})
        row["provisional_eligible"], row["reason_codes"] = "0", "[" + ", ".join(f'"{c}"' for c in codes) + "]"
        if rng.random() < 0.12:
            row["override_rationale"], row["overridden_by_id"] = "Gravity reconsidered with the CPS", supervisor
        else:
            row.update(offer_outcome="not_offered", offer_reason="ineligible", alternative_outcome="charge")
            close("ineligible", closed)
            return _write_case(out, row)
    # The offer: a few eligible people not offered, about one in seven declining.
    if rng.random() < 0.06:
        row.update(
            offer_outcome="not_offered",
            offer_reason=rng.choice(NOT_OFFERED),
            offer_reason_detail="Recorded by the custody sergeant",
            alternative_outcome="caution",
        )
        close("ineligible", closed)
        return _write_case(out, row)
    if rng.random() < 0.14:
        row.update(offer_outcome="declined", offer_reason=_weighted(rng, DECLINED), alternative_outcome="charge")
        close("declined", closed)
        return _write_case(out, row)
    # Accepted and referred; the clocks start.
    deadline = offence_on + timedelta(days=150)
    appointment = opened + timedelta(days=rng.randrange(2, 8), hours=rng.randrange(0, 6))
    row.update(
        offer_outcome="accepted",
        consent_at=_stamp(opened + timedelta(hours=1)),
        referred_at=_stamp(opened + timedelta(hours=1)),
        latest_charge_on=(offence_on + timedelta(days=182)).isoformat(),
        decision_deadline_on=deadline.isoformat(),
        first_appointment_at=_stamp(appointment),
        first_appointment_place="Navigator office, Durham",
        navigator_id=navigator,
        state="referred",
    )
    if rng.random() < 0.06:  # never made contact
        if appointment + timedelta(days=10) < now:
            _terminate(out, rng, row, case_id, appointment + timedelta(days=10), now, supervisor, "No contact made")
        return _write_case(out, row)
    contact = opened + timedelta(days=rng.choice((1, 2, 3, 4, 5, 6, 7, 9, 12)), hours=rng.randrange(0, 8))
    if contact > now:
        return _write_case(out, row)
    row.update(first_contact_at=_stamp(contact), state="assessment")
    detail = (now - opened).days < DETAIL_DAYS
    if detail:
        _assessment(out, rng, case_id, 1, "entry", contact + timedelta(days=2), navigator)
    signed = contact + timedelta(days=rng.randrange(4, 21))
    if rng.random() < 0.05:  # refused the contract
        if signed < now:
            _terminate(out, rng, row, case_id, signed, now, supervisor, "Refused the contract")
        return _write_case(out, row)
    if signed > now:
        row["state"] = "contract_draft" if rng.random() < 0.5 else "assessment"
        return _write_case(out, row)
    ends = signed + timedelta(days=TERM_DAYS)
    row["state"] = "active"
    victim = _victim(out, rng, case_id, opened, navigator)
    conditions = _contract(out, rng, case_id, signed, ends, navigator, staff.partners[team], victim)
    if victim is not None:
        _victim_update(out, rng, case_id, "contract_started", 0, None, signed, now, navigator, victim.updates)
    if detail:
        _check_ins(out, rng, case_id, signed, min(ends, now), now, navigator)
        _referrals(out, rng, case_id, signed, now, navigator, staff.partners[team])
    # A quarter breach once, a few twice; a decision follows a fortnight later.
    terminated_at = None
    for _ in range(2 if rng.random() < 0.05 else 1 if rng.random() < 0.25 else 0):
        occurred = signed + timedelta(days=rng.randrange(7, TERM_DAYS - 14))
        if occurred + timedelta(days=14) > now:
            break
        decision = _breach(out, rng, case_id, occurred, navigator, supervisor, conditions)
        if victim is not None:
            decided = occurred + timedelta(days=14)
            _victim_update(
                out,
                rng,
                case_id,
                "breach_decided",
                out.breach_id,
                out.breach_id,
                decided,
                now,
                navigator,
                victim.updates,
            )
        if decision == "terminate":
            terminated_at = occurred + timedelta(days=14)
            break
    if terminated_at is not None:
        _terminate(out, rng, row, case_id, terminated_at, now, supervisor, "Terminated after a breach")
    elif ends + timedelta(days=3) < now:
        close("completed", ends + timedelta(days=3))
        _outcome(out, case_id, "completion", 22, ends + timedelta(days=3), supervisor)
        if detail:
            _assessment(out, rng, case_id, 2, "exit", ends - timedelta(days=3), navigator)
    elif ends < now:
        row["state"] = "completion_review"
    if row["closed_at"] is not None:
        if victim is not None:
            _victim_update(
                out, rng, case_id, "outcome", 0, None, _moment(row["closed_at"]), now, navigator, victim.updates
            )
        _follow_ups(out, rng, case_id, _moment(row["closed_at"]), now, row["state"], navigator)
    return _write_case(out, row)


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def _write_case(out: _Writer, row: dict) -> None:
    out.add("cases", tuple(row[column] for column in CASE_COLUMNS))


def _terminate(out, rng, row, case_id, when, now, supervisor, reason) -> None:
    """Terminated, then the prosecution decision a week or two later (pending if not yet due)."""
    row.update(state="prosecution_decision", termination_reason=reason)
    decided = when + timedelta(days=rng.randrange(3, 15))
    if decided > now:
        return
    state, route, code, _weight = rng.choices(CLOSINGS, [c[3] for c in CLOSINGS])[0]
    row.update(state=state, closed_at=_stamp(decided))
    _outcome(out, case_id, route, code, decided, supervisor)


def _outcome(out, case_id, route, code, when, by) -> None:
    out.add(
        "case_outcomes",
        (
            case_id,
            case_id,
            route,
            code,
            "Recorded at the decision",
            by,
            _stamp(when),
            when.date().isoformat(),
            "Theft from a shop" if route == "charged" else None,
            when.date().isoformat() if route == "charged" else None,
        ),
    )


def _assessment(out, rng, case_id, number, stage, when, by) -> None:
    assessment_id = case_id * 2 + number - 2
    out.add(
        "assessments", (assessment_id, case_id, stage, _stamp(when), by, 1, "completed", _stamp(when), by, _stamp(when))
    )
    for domain, _label in NEED_DOMAINS:
        level = min(3, int(rng.expovariate(1.2))) if stage == "entry" else min(3, int(rng.expovariate(1.8)))
        out.add("assessment_domains", (assessment_id, domain, level, "1" if level >= 2 else "0", "1" if level else "0"))


def _contract(out, rng, case_id, signed, ends, by, partners, victim: Victim | None) -> list[int]:
    """A signed contract (its id is the case's) with three or four conditions; returns their ids."""
    out.add(
        "contracts",
        (
            case_id,
            case_id,
            1,
            "signed",
            by,
            _stamp(signed - timedelta(days=2)),
            _stamp(signed),
            1,
            "agrees",
            _stamp(signed),
            by,
            by,
            "Durham police station",
            "en",
            "wet_ink",
            "paper",
            signed.date().isoformat(),
            ends.date().isoformat(),
        ),
    )
    chosen = [CONDITIONS[0], *rng.sample(CONDITIONS[1:], 2 if rng.random() < 0.6 else 3)]
    if victim is not None and victim.restorative:
        chosen.append(("victim", "Take part in restorative justice with the victim", "by_date", None, None))
    ids = []
    for position, (kind, wording, rule, target, pathway) in enumerate(chosen, start=1):
        condition_id = case_id * 8 + position
        due = (ends - timedelta(days=14)).date().isoformat() if rule == "by_date" else None
        partner = partners.get(pathway) if pathway else None
        out.add(
            "contract_conditions",
            (condition_id, case_id, position, kind, wording, rule, target, due, partner, "in_progress"),
        )
        ids.append(condition_id)
    return ids


def _check_ins(out, rng, case_id, signed, until, now, by) -> None:
    """Weekly for four weeks, then fortnightly; those held have an outcome; two to come while running."""
    when, week = signed + timedelta(days=7), 1
    ahead = 0
    while when < signed + timedelta(days=TERM_DAYS) and ahead < 2:
        if when > now:
            ahead += 1
            out.add("check_ins", _check_in(case_id, when, by, None, rng))
        elif when <= until:
            out.add("check_ins", _check_in(case_id, when, by, _weighted(rng, CHECK_IN_OUTCOMES), rng))
        when += timedelta(days=7 if week < 4 else 14)
        week += 1


def _check_in(case_id, when, by, outcome, rng) -> tuple:
    return (
        case_id,
        case_id,
        _stamp(when),
        "in_person",
        "Navigator office, Durham",
        "pattern",
        _stamp(when - timedelta(days=20)),
        by,
        outcome,
        _stamp(when + timedelta(hours=1)) if outcome else None,
        by if outcome else None,
        rng.randrange(5, 40) if outcome == "late" else None,
        "Bus was late" if outcome == "late" else None,
        rng.choice(ABSENCE_REASONS) if outcome == "acceptable_absence" else None,
        rng.randrange(2, 6) if outcome and "attended" in outcome else None,
        1,
    )


def _referrals(out, rng, case_id, signed, now, by, partners) -> None:
    for pathway in rng.sample(PARTNER_PATHWAYS, 1 if rng.random() < 0.7 else 2):
        sent = signed + timedelta(days=rng.randrange(1, 10))
        if sent > now:
            continue
        status = _weighted(rng, REFERRAL_STATUSES) if sent + timedelta(days=30) < now else "sent"
        out.add(
            "referrals",
            (
                case_id,
                partners[pathway],
                pathway,
                sent.date().isoformat(),
                "email",
                "[]",
                "1",
                status,
                by,
                _stamp(sent),
                1,
            ),
        )


def _breach(out, rng, case_id, occurred, navigator, supervisor, conditions) -> str:
    out.breach_id += 1
    kind = _weighted(rng, BREACH_KINDS)
    decision = _weighted(rng, DECISIONS)
    decided = occurred + timedelta(days=rng.randrange(2, 14))
    out.add(
        "breaches",
        (
            out.breach_id,
            case_id,
            kind,
            "decided",
            1,
            occurred.date().isoformat(),
            "Recorded by the navigator",
            navigator if navigator != supervisor else None,
            _stamp(occurred + timedelta(hours=3)),
            case_id,
            "{}",
            decision,
            "Decided on the evidence recorded",
            supervisor,
            _stamp(decided),
        ),
    )
    if decision == "final_warning" or rng.random() < 0.3:
        level = "final" if decision == "final_warning" else "formal"
        out.add("breach_warnings", (case_id, out.breach_id, level, "Warned", supervisor, _stamp(decided), "en"))
    return decision


@dataclass(frozen=True)
class Victim:
    restorative: bool
    updates: bool


def _victim(out, rng, case_id, opened, by) -> Victim | None:
    """A victim record for about half the signed cases (None where there is no identified victim)."""
    if rng.random() > 0.55:
        return None
    views = _weighted(rng, {"supports": 60, "does_not_support": 10, "not_sought": 30})
    restorative = views == "supports" and rng.random() < 0.35
    updates = rng.random() < 0.7
    when = _stamp(opened + timedelta(hours=1))
    out.add(
        "victim_records",
        (
            case_id,
            1,
            views,
            "Victim could not be reached" if views == "not_sought" else None,
            "1" if restorative else "0",
            "1" if updates else "0",
            "phone",
            "Victim",
            by,
            when,
            by,
            when,
        ),
    )
    return Victim(restorative, updates)


def _victim_update(out, rng, case_id, event, subject_id, breach_id, event_at, now, by, owed) -> None:
    """An update owed within five working days (about a week); most given in time, some late, a few not yet."""
    event_on = event_at.date()
    due = event_on + timedelta(days=7) if owed else None
    given = None
    if owed:
        candidate = event_on + timedelta(days=rng.choice((1, 2, 3, 4, 5, 6, 7, 7, 9, 12)))
        given = candidate if candidate <= now.date() and rng.random() < 0.95 else None
    out.add(
        "victim_updates",
        (
            case_id,
            event,
            subject_id,
            breach_id,
            event_on.isoformat(),
            _stamp(event_at),
            None if owed else "declined_updates",
            "0",
            due.isoformat() if due else None,
            1,
            given.isoformat() if given else None,
            "phone" if given else None,
            "Told of the progress" if given else None,
            by if given else None,
            _stamp(datetime.combine(given, datetime.min.time())) if given else None,
        ),
    )


def _follow_ups(out, rng, case_id, closed, now, state, by) -> None:
    """The 12- and 24-month checks from closure; most of those due have a result recorded."""
    reoffends = 0.12 if state == "completed" else 0.35
    for months in (12, 24):
        due = (closed + timedelta(days=365 * months // 12)).date()
        recorded = due <= now.date() and rng.random() < 0.85
        result = None
        if recorded:
            result = (
                "unknown" if rng.random() < 0.03 else ("reoffended" if rng.random() < reoffends else "not_reoffended")
            )
        checked = due + timedelta(days=rng.randrange(0, 20)) if recorded else None
        out.add(
            "reoffending_follow_ups",
            (
                case_id,
                months,
                closed.date().isoformat(),
                "closure",
                due.isoformat(),
                _stamp(closed),
                1,
                result,
                "pnc" if recorded else None,
                checked.isoformat() if checked else None,
                by if recorded else None,
                _stamp(datetime.combine(checked, datetime.min.time())) if checked else None,
            ),
        )


COLUMNS = {
    "people": "id, given_names, family_name, family_name_folded, date_of_birth, pnc_id, address_line_1, town, "
    "postcode, preferred_language, interpreter_needed, appropriate_adult_needed, reminder_by_email, "
    "reminder_by_sms, created_at, created_by_id, version",
    "person_monitoring": "person_id, ethnicity, sex, disability, recorded_at",
    "cases": "id, reference, person_id, team_id, state, version, opened_by_id, opened_at, closed_at, crime_reference, "
    "arrested_at, offence_first_on, offence_last_on, gate_answers, provisional_eligible, reason_codes, evaluated_at, "
    "override_rationale, overridden_by_id, offer_outcome, offer_reason, offer_reason_detail, alternative_outcome, "
    "consent_at, referred_at, latest_charge_on, decision_deadline_on, first_appointment_at, first_appointment_place, "
    "first_contact_at, navigator_id, termination_reason",
    "case_offences": "case_id, offence_id",
    "contracts": "id, case_id, version_number, status, created_by_id, created_at, changed_at, version, agreement, "
    "signed_at, signed_by_navigator_id, signing_recorded_by_id, signing_place, signing_language, "
    "person_signature, copy_given, starts_on, ends_on",
    "contract_conditions": "id, contract_id, position, type, wording, rule, target, due_on, partner_service_id, status",
    "assessments": "id, case_id, stage, assessed_at, assessed_by_id, version, status, started_at, started_by_id, "
    "flags_reviewed_at",
    "assessment_domains": "assessment_id, domain, need_level, linked_to_offending, consent_to_refer",
    "check_ins": "case_id, contract_id, scheduled_at, mode, place, source, created_at, created_by_id, outcome, "
    "outcome_recorded_at, outcome_recorded_by_id, late_minutes, late_reason, absence_reason, engagement, version",
    "referrals": "case_id, partner_service_id, need_domain, sent_on, method, data_shared, consent_recorded, status, "
    "created_by_id, created_at, version",
    "breaches": "id, case_id, kind, status, version, occurred_on, summary, raised_by_id, raised_at, contract_id, "
    "evidence, decision, decision_rationale, decided_by_id, decided_at",
    "breach_warnings": "case_id, breach_id, level, reason, issued_by_id, issued_at, language",
    "case_outcomes": "id, case_id, route, code, rationale, decided_by_id, decided_at, effective_on, charge_wording, "
    "charged_on",
    "victim_records": "case_id, version, views, not_sought_reason, wants_restorative, wants_updates, contact_method, "
    "contact_name, recorded_by_id, recorded_at, changed_by_id, changed_at",
    "victim_updates": "case_id, event, subject_id, breach_id, event_on, created_at, not_owed_reason, enhanced, due_on, "
    "version, given_on, method, summary, given_by_id, recorded_at",
    "reoffending_follow_ups": "case_id, months, counted_from, basis, due_on, created_at, version, result, source, "
    "checked_on, recorded_by_id, recorded_at",
}
CASE_COLUMNS = [column.strip() for column in COLUMNS["cases"].split(",")]
# Tables written with their own ids, whose sequences must move past them on PostgreSQL.
EXPLICIT_IDS = ("people", "cases", "contracts", "contract_conditions", "assessments", "breaches", "case_outcomes")


def load(engine: Engine, count: int, *, staff: Staff, now: datetime) -> Loaded:
    """Writes `count` people and cases and all the reports read of them; returns each step's seconds."""
    with engine.connect() as connection:
        offence_ids = list(connection.scalars(text("SELECT id FROM offences ORDER BY id")))
    # Naive UTC throughout, as UTCDateTime stores it.
    rows = _rows(count, staff=staff, offence_ids=offence_ids, now=now.astimezone(UTC).replace(tzinfo=None))
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    if engine.dialect.name == "postgresql":
        _copy(engine, rows, seconds, COLUMNS, EXPLICIT_IDS)
    else:
        _insert_many(engine, rows, COLUMNS)
    seconds["load"] = time.perf_counter() - started
    started = time.perf_counter()
    analyze(engine)
    seconds["analyze"] = time.perf_counter() - started
    return Loaded(cases=count, seconds=seconds)


def counts(engine: Engine) -> dict[str, int]:
    """Rows in each generated table, for the bench to print."""
    with engine.connect() as connection:
        return {table: connection.scalar(text(f"SELECT count(*) FROM {table}")) for table in COLUMNS}
