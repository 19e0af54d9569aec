"""The breach and completion sweeps and the supervisor's home scale with the work in progress, not
with the history of closed cases and decided breaches.

    .venv/bin/python bench/breach_sweeps.py [--database sqlite|postgresql] [--cases 100000] [--due 100]
                                            [--rounds 10]

Builds two databases with the same due items in one team (`--due` each of: a running case with a
condition past its due date and not met; a case whose contract ended yesterday with every condition
met; a case in breach review with its breach awaiting the supervisor; a case in completion review;
and a tenth as many awaiting the prosecution decision past their latest charge date). The small one
holds nothing else; the big one holds `--cases` more, over ten teams, as a scheme some years old has
them: mostly closed (completed with Outcome 22, or closed after a decided breach: charged, caution,
time-barred), some running with signed contracts whose conditions are met or not yet due, some in
assessment or just referred. Every contract has three conditions. ANALYZE, then time on each:

- floor: SELECT one case by primary key, in the same kind of transaction;
- the conditions-not-met sweep raising its breaches (the scheduler's batch), rolled back each round;
- the completion sweep moving the ended cases to completion review, rolled back each round;
- the supervisor's breach queue (the whole of it, and its count) and each panel of the supervisor's
  home, for the team's supervisor (each round loads the supervisor, as a page does);
- both sweeps again once their work is kept and the statistics refreshed (nothing new).

Prints a Markdown table: medians, the big database over the small one (about 1x is the claim), and
the big database over its floor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, insert, select, text
from sqlalchemy.orm import Session

from bench.sweeps import HANDLED, NOW, TODAY, _case, _contract, _timed, bench_staff, person_row
from bench.two_sizes import measure_sizes, print_table
from casework.domain.lifecycle import CaseState
from casework.jobs.registry import BATCH
from casework.models import (
    Breach,
    Case,
    CaseOutcome,
    CompletionReview,
    Condition,
    Contract,
    Person,
    Team,
    User,
    UserRole,
)
from casework.services import breach_queue, breach_raising, case_outcomes, completion, supervisor_home

TEAMS = 10
NAVIGATORS = 5  # in the team measured; one in each other team
CHUNK = 5000


def _staff(session: Session) -> tuple[User, list[list[int]]]:
    """The measured team's supervisor, and each team's navigators (the measured team first)."""
    team, supervisor = bench_staff(session, role="supervisor")
    teams = [team] + [Team(name=f"Bench {n}", area="Bench", phone="0191 000 0000") for n in range(1, TEAMS)]
    session.add_all(teams[1:])
    session.flush()
    navigators: list[list[int]] = []
    for number, each in enumerate(teams):
        users = [
            User(
                username=f"navigator.{number}.{n}",
                full_name=f"Navigator {number}.{n}",
                email=f"navigator.{number}.{n}@example.police.uk",
                organisation="Bench",
                team_id=each.id,
                is_active=True,
                created_at=NOW,
            )
            for n in range(NAVIGATORS if number == 0 else 1)
        ]
        session.add_all(users)
        session.flush()
        session.add_all(UserRole(user_id=user.id, role="navigator") for user in users)
        navigators.append([user.id for user in users])
    session.flush()
    return supervisor, navigators


def _conditions(case_id: int, *statuses: tuple[str, object]) -> list[dict]:
    """Three conditions for the case's contract (id = case id): by a date, sessions, the whole term.
    Each status comes with its due date (None for the whole term)."""
    kinds = (("reparation", "by_date", None), ("education", "sessions", 2), ("offending", "whole_term", None))
    return [
        dict(
            id=3 * case_id + position,
            contract_id=case_id,
            position=position + 1,
            type=kind,
            wording=f"Condition {position + 1} of the bench contract, worded as the person signed it.",
            rule=rule,
            target=target,
            due_on=due_on,
            status=status,
        )
        for position, ((kind, rule, target), (status, due_on)) in enumerate(zip(kinds, statuses, strict=True))
    ]


def _breach(case_id: int, *, status: str, kind: str, supervisor_id: int, **values) -> dict:
    raised = NOW - timedelta(days=3 + case_id % 20)
    row = dict(
        case_id=case_id,
        kind=kind,
        status=status,
        version=1,
        occurred_on=raised.date(),
        summary="Contact with the victim against condition 3.",
        raised_by_id=None,
        raised_at=raised,
        contract_id=case_id,
        evidence={},
        review_reason=kind if kind == "conduct" else "repeated_failure",
        review_requested_at=raised,
    )
    if status == "decided":
        row.update(
            version=2,
            decision=values.pop("decision"),
            decision_rationale="Decided on the evidence recorded.",
            decided_by_id=supervisor_id,
            decided_at=raised + timedelta(days=2),
        )
    row.update(values)
    return row


def _outcome(case_id: int, route: str, code: int, *, supervisor_id: int, on) -> dict:
    return dict(
        case_id=case_id,
        route=route,
        code=code,
        rationale="Recorded on the case's evidence.",
        decided_by_id=supervisor_id,
        decided_at=NOW - timedelta(days=(TODAY - on).days),
        effective_on=on,
        charge_wording="Theft from a shop, contrary to section 1 of the Theft Act 1968."
        if route == "charged"
        else None,
    )


class Rows:
    """The rows of one chunk, by table, inserted together."""

    def __init__(self) -> None:
        self.tables: dict[type, list[dict]] = {
            Person: [],
            Case: [],
            Contract: [],
            Condition: [],
            Breach: [],
            CompletionReview: [],
            CaseOutcome: [],
        }

    def case(self, n: int, *, state: CaseState, team_id: int, user_id: int, navigator_id: int, **values) -> None:
        deadline = values.pop("decision_deadline_on", TODAY + timedelta(days=60 + n % 100))
        values.setdefault("latest_charge_on", deadline + timedelta(days=28))
        self.tables[Person].append(person_row(n, created_by_id=user_id))
        self.tables[Case].append(
            _case(
                n,
                state=state,
                team_id=team_id,
                user_id=user_id,
                navigator_id=navigator_id,
                decision_deadline_on=deadline,
                **values,
            )
        )

    def contract(self, n: int, *, user_id: int, ends_on, conditions: tuple) -> None:
        self.tables[Contract].append({**_contract(n, user_id=user_id, ends_on=ends_on), "id": n})
        self.tables[Condition].extend(_conditions(n, *conditions))

    def insert(self, session: Session) -> None:
        for model, rows in self.tables.items():
            if rows:
                session.execute(insert(model), rows)


MET = ("met", None)
WHOLE_TERM = ("not_started", None)


def _due(rows: Rows, n: int, *, due: int, staff: dict, supervisor_id: int) -> None:
    """The due items, all in the measured team, in five blocks of `due` (the last a tenth of that)."""
    block, ids = (n - 1) // due, dict(staff, navigator_id=staff["navigators"][0][n % NAVIGATORS])
    ids.pop("navigators")
    running = TODAY + timedelta(days=60 + n % 100)
    if block == 0:  # running, a condition past its due date and not met
        rows.case(n, state=CaseState.ACTIVE, **ids)
        rows.contract(
            n,
            user_id=ids["user_id"],
            ends_on=running,
            conditions=(("in_progress", TODAY - timedelta(1 + n % 5)), MET, WHOLE_TERM),
        )
    elif block == 1:  # the contract ended yesterday, every condition met
        rows.case(n, state=CaseState.ACTIVE, **ids)
        rows.contract(
            n, user_id=ids["user_id"], ends_on=TODAY - timedelta(days=1), conditions=(("met", TODAY), MET, WHOLE_TERM)
        )
    elif block == 2:  # a conduct breach awaiting the supervisor, the deadline 3 to 92 days away
        rows.case(n, state=CaseState.BREACH_REVIEW, decision_deadline_on=TODAY + timedelta(days=3 + n % 90), **ids)
        rows.contract(n, user_id=ids["user_id"], ends_on=running, conditions=(("met", TODAY), MET, WHOLE_TERM))
        rows.tables[Breach].append(_breach(n, status="review", kind="conduct", supervisor_id=supervisor_id))
    elif block == 3:  # in completion review, waiting for sign-off
        ended = TODAY - timedelta(days=1 + n % 14)
        rows.case(n, state=CaseState.COMPLETION_REVIEW, **ids)
        rows.contract(n, user_id=ids["user_id"], ends_on=ended, conditions=(("met", ended), MET, WHOLE_TERM))
        rows.tables[CompletionReview].append(
            dict(case_id=n, contract_id=n, ends_on=ended, requested_at=NOW - timedelta(days=n % 14))
        )
    else:  # terminated after a breach, awaiting the prosecution decision past the latest charge date
        past = TODAY - timedelta(days=1 + n % 5)
        rows.case(n, state=CaseState.PROSECUTION_DECISION, decision_deadline_on=past, latest_charge_on=past, **ids)
        rows.contract(n, user_id=ids["user_id"], ends_on=running, conditions=(("not_met", past), MET, WHOLE_TERM))
        decided = dict(decision="terminate", condition_id=3 * n)
        rows.tables[Breach].append(
            _breach(n, status="decided", kind="condition_not_met", supervisor_id=supervisor_id, **decided)
        )


def _history(rows: Rows, n: int, *, staff: dict, supervisor_id: int) -> None:
    """A case that is not due: mostly closed, some running, some not yet under contract."""
    team = n % TEAMS
    navigators = staff["navigators"][team]
    ids = dict(team_id=staff["teams"][team], user_id=staff["user_id"], navigator_id=navigators[n % len(navigators)])
    kind = n % 20
    if kind < 16:  # closed: completed, or after a decided breach
        ended = TODAY - timedelta(days=30 + n % 900)
        after_breach = kind >= 14
        if not after_breach:
            state, route, code = CaseState.COMPLETED, "completion", 22
        elif n % 60 == 14:
            state, route, code = CaseState.CLOSED_TIME_BARRED, "time_barred", 17
        elif kind == 14:
            state, route, code = CaseState.CLOSED_CHARGED, "charged", 1
        else:
            state, route, code = CaseState.CLOSED_ALTERNATIVE, "alternative", 3
        rows.case(n, state=state, decision_deadline_on=ended + timedelta(days=20), **ids)
        first = ("not_met", ended - timedelta(days=40)) if after_breach else ("met", ended - timedelta(days=40))
        rows.contract(n, user_id=ids["user_id"], ends_on=ended, conditions=(first, MET, WHOLE_TERM))
        rows.tables[CaseOutcome].append(_outcome(n, route, code, supervisor_id=supervisor_id, on=ended))
        if after_breach or kind == 0:  # a breach decided: terminated, or a final warning and then completed
            decision = "terminate" if after_breach else "final_warning"
            rows.tables[Breach].append(
                _breach(
                    n,
                    status="decided",
                    kind="condition_not_met",
                    supervisor_id=supervisor_id,
                    decision=decision,
                    condition_id=3 * n,
                )
            )
    elif kind < 18:  # running: conditions met or not yet due
        rows.case(n, state=CaseState.ACTIVE, **ids)
        ahead = ("not_started", TODAY + timedelta(days=1 + n % 100))
        rows.contract(
            n, user_id=ids["user_id"], ends_on=TODAY + timedelta(days=1 + n % 200), conditions=(MET, ahead, WHOLE_TERM)
        )
    elif kind == 18:
        rows.case(n, state=CaseState.ASSESSMENT, **ids)
    else:
        rows.case(n, state=CaseState.REFERRED, referred_at=NOW - timedelta(hours=2), **ids)


def generate(engine: Engine, *, due: int, others: int) -> int:
    """Returns the measured team's supervisor's id."""
    with Session(engine) as session:
        supervisor, navigators = _staff(session)
        teams = _team_ids(session)
        staff = dict(user_id=supervisor.id, navigators=navigators)
        due_total = 4 * due + due // 10
        total = due_total + others
        for start in range(1, total + 1, CHUNK):
            rows = Rows()
            for n in range(start, min(total, start + CHUNK - 1) + 1):
                if n <= due_total:
                    _due(rows, n, due=due, staff=dict(staff, team_id=teams[0]), supervisor_id=supervisor.id)
                else:
                    _history(rows, n, staff=dict(staff, teams=teams), supervisor_id=supervisor.id)
            rows.insert(session)
        session.commit()
        supervisor_id = supervisor.id
    _analyze(engine)
    return supervisor_id


def _team_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Team.id).order_by(Team.id)))


def _analyze(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()


def measure(engine: Engine, *, supervisor_id: int, rounds: int) -> dict[str, float]:
    def conditions(session):
        return breach_raising.raise_for_unmet_conditions(session, now=NOW, limit=BATCH)

    def completions(session):
        return completion.begin_due_reviews(session, now=NOW)

    def as_supervisor(panel: Callable[[Session, User], object]) -> Callable[[Session], object]:
        return lambda session: panel(session, session.get(User, supervisor_id))

    panels = {
        "breach queue: all waiting": lambda s, actor: len(breach_queue.queue(s, actor=actor, today=TODAY)),
        "breach queue: count": lambda s, actor: breach_queue.count(s, actor=actor),
        "home: breaches awaiting": lambda s, actor: supervisor_home.breaches_awaiting(s, actor=actor, on=TODAY),
        "home: near deadline": lambda s, actor: len(supervisor_home.near_deadline(s, actor=actor, on=TODAY)),
        "home: awaiting sign-off": lambda s, actor: len(supervisor_home.awaiting_sign_off(s, actor=actor)),
        "home: caseloads": lambda s, actor: len(supervisor_home.caseloads(s, actor=actor, now=NOW)),
        "home: time-barred figures": lambda s, actor: case_outcomes.time_barred_figures(s, actor=actor, today=TODAY),
    }
    many = max(rounds, 20)
    results = {"floor": _timed(engine, lambda s: s.execute(text("SELECT id FROM cases WHERE id = 1")).one(), many)}
    results["conditions not met: raising"] = _timed(engine, conditions, rounds)
    results["completion review: moving"] = _timed(engine, completions, rounds)
    print(f"  raised {HANDLED['conditions']:,} breaches and moved {HANDLED['completions']:,} cases a round")
    for name, panel in panels.items():
        results[name] = _timed(engine, as_supervisor(panel), many)
    _timed(engine, conditions, 1, keep=True)
    _timed(engine, completions, 1, keep=True)
    _analyze(engine)
    results["conditions not met: nothing new"] = _timed(engine, conditions, many)
    results["completion review: nothing new"] = _timed(engine, completions, many)
    return {name: statistics.median(samples) for name, samples in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    supervisors: dict[Engine, int] = {}

    def build(others: int):
        def fill(engine: Engine) -> str:
            supervisors[engine] = generate(engine, due=args.due, others=others)
            return f"{4 * args.due + args.due // 10 + others:,} cases"

        return fill

    medians = measure_sizes(
        args.database,
        [("small", build(0)), ("big", build(args.cases))],
        lambda engine: measure(engine, supervisor_id=supervisors[engine], rounds=args.rounds),
    )
    print(f"\n{args.due} due items of each kind; big database: {args.cases:,} more cases that are not due.\n")
    print_table(args.database, medians)


if __name__ == "__main__":
    main()
