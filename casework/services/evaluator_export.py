"""The pseudonymised case-level export for evaluators (DOMAIN.md §8.1, §8.2, §9): one row per case in a
report scope, with pseudonyms under an export key, and its data dictionary, in a ZIP a spreadsheet
opens. Every export is a disclosure, audited with its recipient and purpose (DPA 2018 s.62).

What leaves: see services.evaluator_columns. The rows are gathered in a fixed handful of queries
however many cases there are (one for the cases, one each for offences, contracts, check-ins,
breaches, warnings and follow-ups), each joined to the scope's own conditions rather than a list of
ids. Dates are turned into London dates here and never leave as dates: only intervals in days, the
month the gate was started and an age band.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.domain.clock import local, local_today
from casework.domain.errors import FieldError, FieldErrors
from casework.domain.people import age_on
from casework.domain.pseudonyms import pseudonym
from casework.domain.roles import Action
from casework.domain.spreadsheet_cells import inert
from casework.models import (
    Breach,
    BreachWarning,
    Case,
    CaseOffence,
    CaseOutcome,
    CheckIn,
    Condition,
    Contract,
    Offence,
    Person,
    PersonMonitoring,
    ReoffendingFollowUp,
    Team,
    User,
)
from casework.services import access, audit, evaluator_export_keys
from casework.services.evaluator_columns import COLUMNS, NAMES, CaseFacts, Cell, cells
from casework.services.funnel import AGE_BANDS
from casework.services.report_scope import ReportScope

# The audit trail holds identifiers and codes (audit_head.MAX_DETAIL_TEXT): who it went to and why
# must fit there, so the form keeps them this short.
TEXT_LIMIT = 200
ACTION = "evaluator_export.downloaded"


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    rows: int


def export(
    session: Session,
    *,
    actor: User,
    scope: ReportScope,
    key_id: int | None,
    recipient: str,
    purpose: str,
    now: datetime,
) -> Export:
    """The ZIP for an evaluator, recorded as a disclosure. The scope was checked when it was made
    (report_scope.scope); the export needs its own permission as well."""
    access.require(actor, Action.EXPORT_FOR_EVALUATORS)
    recipient, purpose = " ".join(recipient.split()), " ".join(purpose.split())
    problems = []
    try:
        key = evaluator_export_keys.key_for_export(session, actor=actor, key_id=key_id)
    except FieldError as problem:
        problems.append(problem)
    for name, value, missing in (
        ("recipient", recipient, "Enter the organisation the export is for"),
        ("purpose", purpose, "Enter what the export is for"),
    ):
        if not value:
            problems.append(FieldError(name, missing))
        elif len(value) > TEXT_LIMIT:
            problems.append(FieldError(name, f"Keep this to {TEXT_LIMIT} characters or fewer"))
    FieldErrors.raise_any(problems)

    rows = sorted((cells(facts) for facts in case_facts(session, scope, key.secret)), key=lambda row: row[1])
    exported_on = local_today(now)
    content = _zip(
        {
            "README.txt": _readme(key.name, scope, len(rows), recipient, purpose, exported_on),
            "cases.csv": _csv(NAMES, rows),
            "data_dictionary.csv": _csv(
                ("column", "meaning", "values_or_units", "source"),
                [[column.name, column.meaning, column.values, column.source] for column in COLUMNS],
            ),
        },
        local(now),
    )
    audit.record(
        session,
        actor=actor,
        action=ACTION,
        now=now,
        team_id=scope.team_id,
        **scope.audit_detail,
        recipient=recipient,
        purpose=purpose,
        key=key.name,
        rows=len(rows),
    )
    session.flush()
    team = "every-team" if scope.team_id is None else f"team-{scope.team_id}"
    name = f"evaluator-export-{_slug(key.name)}-{team}-{scope.first_day}-to-{scope.last_day}.zip"
    return Export(filename=name, content=content, rows=len(rows))


def case_facts(session: Session, scope: ReportScope, secret: str) -> list[CaseFacts]:
    """The facts of every case in the scope, under a key's secret, in no particular order."""
    cohort = scope.cases()

    def each(query, case_id):
        """A query of a table holding `case_id`, limited to the cohort by a join, not a list of ids."""
        return session.execute(query.join(Case, Case.id == case_id).where(*cohort))

    offences: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for case_id, title, mode in each(
        select(CaseOffence.case_id, Offence.title, Offence.mode_of_trial)
        .join(Offence, Offence.id == CaseOffence.offence_id)
        .order_by(CaseOffence.case_id, CaseOffence.id),
        CaseOffence.case_id,
    ):
        offences[case_id].append((title, mode))

    # Every signed version: the first signature, and the conditions of the latest version signed.
    signed_on: dict[int, date] = {}
    latest: dict[int, int] = {}
    conditions: dict[int, list[str]] = defaultdict(list)
    for case_id, version, signed_at, kind in each(
        select(Contract.case_id, Contract.version_number, Contract.signed_at, Condition.type)
        .outerjoin(Condition, Condition.contract_id == Contract.id)
        .where(Contract.signed_at.is_not(None))
        .order_by(Contract.case_id, Contract.version_number, Condition.position),
        Contract.case_id,
    ):
        day = local_today(signed_at)
        signed_on[case_id] = min(signed_on.get(case_id, day), day)
        if latest.get(case_id) != version:
            latest[case_id], conditions[case_id] = version, []
        if kind is not None:
            conditions[case_id].append(kind)

    def counted(column, kind, *where) -> dict[int, dict[str, int]]:
        found: dict[int, dict[str, int]] = defaultdict(dict)
        query = select(column, kind, func.count()).where(*where).group_by(column, kind)
        for case_id, value, count in each(query, column):
            found[case_id][value] = count
        return found

    check_ins = counted(CheckIn.case_id, CheckIn.outcome, CheckIn.outcome.is_not(None))
    breaches = counted(Breach.case_id, Breach.kind)
    warnings = counted(BreachWarning.case_id, BreachWarning.level)
    follow_ups: dict[int, dict[int, str | None]] = defaultdict(dict)
    for case_id, months, result in each(
        select(ReoffendingFollowUp.case_id, ReoffendingFollowUp.months, ReoffendingFollowUp.result),
        ReoffendingFollowUp.case_id,
    ):
        follow_ups[case_id][months] = result

    facts = []
    for row in session.execute(
        select(
            Case.id,
            Case.person_id,
            Team.name,
            Case.state,
            Case.opened_at,
            Case.arrested_at,
            Case.consent_at,
            Case.first_contact_at,
            Case.closed_at,
            Case.gravity_score,
            Case.provisional_eligible,
            Case.override_rationale.is_not(None).label("overridden"),
            Case.reason_codes,
            Case.offer_outcome,
            Case.offer_reason,
            Person.date_of_birth,
            PersonMonitoring.ethnicity,
            PersonMonitoring.sex,
            PersonMonitoring.disability,
            CaseOutcome.route,
            CaseOutcome.code,
        )
        .select_from(Case)
        .join(Person, Person.id == Case.person_id)
        .join(Team, Team.id == Case.team_id)
        .outerjoin(PersonMonitoring, PersonMonitoring.person_id == Case.person_id)
        .outerjoin(CaseOutcome, CaseOutcome.case_id == Case.id)
        .where(*cohort)
    ):
        (case_id, person_id, team, state, opened_at, arrested_at, consent_at, contact_at, closed_at) = row[:9]
        started_on = local_today(opened_at)
        facts.append(
            CaseFacts(
                person=pseudonym(secret, "person", person_id),
                case=pseudonym(secret, "case", case_id),
                team=team,
                gate_started_on=started_on,
                state=state,
                age_band=_age_band(row.date_of_birth, started_on),
                ethnicity=row.ethnicity,
                sex=row.sex,
                disability=row.disability,
                offences=tuple(offences.get(case_id, ())),
                gravity_score=row.gravity_score,
                provisionally_eligible=row.provisional_eligible,
                overridden=bool(row.overridden),
                reason_codes=tuple(row.reason_codes or ()),
                offer_outcome=row.offer_outcome,
                offer_reason=row.offer_reason,
                arrested_on=_day(arrested_at),
                consented_on=_day(consent_at),
                first_contact_on=_day(contact_at),
                signed_on=signed_on.get(case_id),
                closed_on=_day(closed_at),
                condition_types=tuple(conditions.get(case_id, ())),
                check_ins=check_ins.get(case_id, {}),
                breaches=breaches.get(case_id, {}),
                warnings=warnings.get(case_id, {}),
                outcome_route=row.route,
                outcome_code=row.code,
                reoffending=follow_ups.get(case_id, {}),
            )
        )
    return facts


def _day(moment: datetime | None) -> date | None:
    return local_today(moment) if moment is not None else None


def _age_band(born: date | None, on: date) -> str | None:
    if born is None:
        return None
    age = age_on(born, on)
    return next(label for lower, label in reversed(AGE_BANDS) if age >= lower)


def _csv(header, rows: list[list[Cell]]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads names right), CRLF, formulas made inert."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else inert(str(cell)) for cell in row])
    return out.getvalue().encode("utf-8")


def _readme(key: str, scope: ReportScope, rows: int, recipient: str, purpose: str, on: date) -> bytes:
    lines = [
        "Pseudonymised case-level export for evaluators",
        "",
        f"Export key: {key}",
        f"Cases whose custody gate was started from {scope.first_day:%d %B %Y} to {scope.last_day:%d %B %Y}",
        f"Team: {scope.team_name}",
        f"Rows (cases): {rows}",
        f"Exported on: {on:%d %B %Y}",
        f"For: {recipient}",
        f"Purpose: {purpose}",
        "",
        "cases.csv holds one row per case; data_dictionary.csv says what each column means.",
        "",
        "This data is pseudonymised, not anonymous. It holds no names, addresses, dates of birth,",
        "references or notes, but people could still be recognised from it. Handle, store and delete",
        "it only as the data-sharing agreement for this evaluation allows, and make no attempt to",
        "identify anyone.",
        "",
        "Pseudonyms (P- for a person, C- for a case) are the same in every export made with the same",
        "key, so later follow-up exports can be linked to this one. Exports made with other keys",
        "cannot be linked to it.",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _zip(files: dict[str, bytes], at: datetime) -> bytes:
    out = io.BytesIO()
    stamp = (at.year, at.month, at.day, at.hour, at.minute, at.second)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "key"
