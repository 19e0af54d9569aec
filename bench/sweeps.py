"""The scheduler's flag sweeps scale with the due items, not with the size of the tables.

    .venv/bin/python bench/sweeps.py [--database sqlite|postgresql] [--cases 100000] [--due 100] [--rounds 20]

Builds two databases with the same due items (`--due` each of: first contact overdue, a contract at
its end date, a decision deadline within 28 days): a small one with nothing else, and a big one with
`--cases` more cases that are not due, mostly closed as in a scheme some years old (the rest: contact
made, contracts running, referred today), and a resolved flag for every other one of them. ANALYZE,
then time on each:

- floor: SELECT one case by primary key, in the same kind of transaction;
- each sweep raising its flags (the first run; rolled back after each round so every round raises);
- each sweep again once its flags are raised (what runs every five minutes: nothing new);
- resolving ended flags, with nothing to resolve.

Prints a Markdown table: medians, and the big database over the small one (about 1x is the claim).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from bench.two_sizes import measure_sizes, print_table
from casework.domain.clock import local_today
from casework.domain.lifecycle import CaseState
from casework.models import Case, CaseFlag, Contract, Person, Team, User, UserRole
from casework.services import flags

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TODAY = local_today(NOW)
SWEEPS: dict[str, Callable[..., int]] = {
    "first contact overdue": flags.raise_first_contact_overdue,
    "completion review": flags.raise_completion_reviews,
    "deadline warnings": flags.raise_deadline_warnings,
}


def _case(n: int, *, state: CaseState, team_id: int, user_id: int, **values) -> dict:
    opened = NOW - timedelta(days=40 + n % 200)
    row = dict(
        id=n,
        reference=f"CP-26-{n:07d}",
        person_id=n,
        team_id=team_id,
        state=state.value,
        version=1,
        opened_by_id=user_id,
        opened_at=opened,
        closed_at=NOW if state.is_terminal else None,
        gate_answers={},
        reason_codes=[],
        provisional_eligible=True,
        consent_at=opened,
        first_appointment_at=opened + timedelta(days=2),
        first_appointment_place="Office",
        referred_at=opened,
        first_contact_at=None if state is CaseState.REFERRED else opened + timedelta(days=2),
        decision_deadline_on=TODAY + timedelta(days=60 + n % 100),
    )
    row.update(values)
    return row


def _contract(case_id: int, *, user_id: int, ends_on: date, status: str = "signed") -> dict:
    signed = NOW - timedelta(days=120)
    return dict(
        case_id=case_id,
        version_number=1,
        status=status,
        created_by_id=user_id,
        created_at=signed,
        changed_at=signed,
        version=1,
        agreement="agrees",
        signed_at=signed,
        signed_by_navigator_id=user_id,
        starts_on=signed.date(),
        ends_on=ends_on,
    )


def bench_staff(session: Session, *, role: str | None = None) -> tuple[Team, User]:
    """The one team and user every generated record belongs to; with `role`, the user holds it."""
    team = Team(name="Bench", area="Bench", phone="0191 000 0000")
    session.add(team)
    session.flush()
    user = User(
        username="bench",
        full_name="Bench User",
        email="bench@example.police.uk",
        organisation="Bench",
        team_id=team.id,
        is_active=True,
        created_at=NOW,
    )
    session.add(user)
    session.flush()
    if role:
        session.add(UserRole(user_id=user.id, role=role))
    return team, user


def person_row(n: int, *, created_by_id: int, **values) -> dict:
    row = dict(
        id=n,
        given_names="Sam",
        family_name="Bench",
        family_name_folded="bench",
        date_of_birth=date(1990, 1, 1),
        address_line_1="1 Bench Street",
        town="Durham",
        postcode="DH1 1AA",
        preferred_language="en",
        interpreter_needed=False,
        appropriate_adult_needed=False,
        created_at=NOW,
        created_by_id=created_by_id,
        version=1,
    )
    row.update(values)
    return row


def generate(engine: Engine, *, due: int, others: int) -> None:
    with Session(engine) as session:
        team, user = bench_staff(session)
        ids = dict(team_id=team.id, user_id=user.id)
        total = 3 * due + others
        for start in range(1, total + 1, 5000):
            numbers = range(start, min(total, start + 4999) + 1)
            session.execute(insert(Person), [person_row(n, created_by_id=user.id) for n in numbers])
            cases, contracts, resolved = [], [], []
            for n in numbers:
                if n <= due:  # referred three weeks ago, never seen
                    cases.append(_case(n, state=CaseState.REFERRED, referred_at=NOW - timedelta(days=21), **ids))
                elif n <= 2 * due:  # signed contract ended yesterday
                    cases.append(_case(n, state=CaseState.ACTIVE, **ids))
                    contracts.append(_contract(n, user_id=user.id, ends_on=TODAY - timedelta(days=1)))
                elif n <= 3 * due:  # decision deadline 5 to 27 days away
                    cases.append(
                        _case(n, state=CaseState.ACTIVE, decision_deadline_on=TODAY + timedelta(5 + n % 23), **ids)
                    )
                else:  # not due, mostly history as in a scheme some years old: closed cases (their contracts
                    # stay signed), and some work in progress: contact made, contracts running, referred today
                    kind = n % 10
                    if kind < 7:
                        past = TODAY - timedelta(30 + n % 900)
                        cases.append(_case(n, state=CaseState.COMPLETED, decision_deadline_on=past, **ids))
                        contracts.append(_contract(n, user_id=user.id, ends_on=past - timedelta(days=20)))
                    elif kind == 7:
                        cases.append(_case(n, state=CaseState.ACTIVE, **ids))
                        contracts.append(_contract(n, user_id=user.id, ends_on=TODAY + timedelta(1 + n % 200)))
                    elif kind == 8:
                        cases.append(_case(n, state=CaseState.ASSESSMENT, **ids))
                    else:
                        cases.append(_case(n, state=CaseState.REFERRED, referred_at=NOW - timedelta(hours=2), **ids))
                    if n % 2:
                        resolved.append(
                            dict(
                                case_id=n,
                                kind="deadline",
                                subject="28",
                                raised_at=NOW - timedelta(days=90),
                                resolved_at=NOW,
                            )
                        )
            session.execute(insert(Case), cases)
            if contracts:
                session.execute(insert(Contract), contracts)
            if resolved:
                session.execute(insert(CaseFlag), resolved)
        session.commit()
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()


# What each timed piece of work last returned (items handled), by its function's name.
HANDLED: dict[str, int] = {}


def _timed(engine: Engine, work: Callable[[Session], object], rounds: int, *, keep: bool = False) -> list[float]:
    """Milliseconds per round; each round in its own session, rolled back unless `keep`."""
    samples = []
    for _ in range(rounds):
        with Session(engine) as session:
            start = time.perf_counter()
            handled = work(session)
            session.flush()
            samples.append((time.perf_counter() - start) * 1000)
            session.commit() if keep else session.rollback()
        HANDLED[getattr(work, "__name__", "")] = handled if isinstance(handled, int) else 0
    return samples


def measure(engine: Engine, rounds: int) -> dict[str, float]:
    results = {"floor": _timed(engine, lambda s: s.execute(text("SELECT id FROM cases WHERE id = 1")).one(), rounds)}
    for name, sweep in SWEEPS.items():
        results[f"{name}: raising"] = _timed(engine, lambda s, fn=sweep: fn(s, now=NOW), rounds)
    for name, sweep in SWEEPS.items():
        _timed(engine, lambda s, fn=sweep: fn(s, now=NOW), 1, keep=True)
        results[f"{name}: nothing new"] = _timed(engine, lambda s, fn=sweep: fn(s, now=NOW), rounds)
    results["resolve ended flags"] = _timed(engine, lambda s: flags.resolve_ended(s, now=NOW), rounds)
    return {name: statistics.median(samples) for name, samples in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    def build(others: int):
        def fill(engine: Engine) -> str:
            generate(engine, due=args.due, others=others)
            return f"{3 * args.due + others:,} cases"

        return fill

    medians = measure_sizes(
        args.database, [("small", build(0)), ("big", build(args.cases))], lambda engine: measure(engine, args.rounds)
    )
    print(f"\n{args.due} due items of each kind; big database: {args.cases:,} more cases that are not due.\n")
    print_table(args.database, medians)


if __name__ == "__main__":
    main()
