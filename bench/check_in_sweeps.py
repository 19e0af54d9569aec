"""The check-in sweeps scale with the due check-ins, not with the size of the check-ins table.

    .venv/bin/python bench/check_in_sweeps.py [--database sqlite|postgresql] [--check-ins 1000000] [--due 10000]
                                              [--rounds 3]

Builds two databases with the same due items: `--due` check-ins held yesterday with nothing recorded
(for the sweep that marks them missed) and `--due` check-ins in the next two days whose person agreed
to email reminders (for the reminder sweep). The small database holds nothing else; the big one holds
`--check-ins` check-ins in all, the rest as a running scheme has them: past ones with their outcomes,
cancelled ones, and ones booked beyond the reminder window. ANALYZE, then time on each:

- floor: SELECT one check-in by primary key, in the same kind of transaction;
- marking the missed check-ins (each marked, audited and told to its navigator), rolled back after
  each round so every round marks them all, and the sweep as the scheduler runs it (a batch of 100)
  once they are marked and the planner's statistics refreshed (nothing new);
- queueing the reminders (each a reminder row and an outbox message), and again once queued;
- flagging explanations overdue, with none overdue (what runs every five minutes).

Prints a Markdown table: medians, the big database over the small one (about 1x is the claim), and
the big database over its floor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from bench.sweeps import HANDLED, NOW, _case, _timed, bench_staff, person_row
from bench.two_sizes import measure_sizes, print_table
from casework.domain.lifecycle import CaseState
from casework.jobs.registry import BATCH
from casework.models import Case, CheckIn, Person
from casework.services import check_in_outcomes, reminders

EMAIL = frozenset({"email"})
PER_CASE = 10
YESTERDAY = NOW - timedelta(days=1)


def _check_in(n: int, case_id: int, at, **values) -> dict:
    row = dict(
        id=n,
        case_id=case_id,
        scheduled_at=at,
        mode="in_person",
        place="Navigator office",
        source="pattern",
        created_at=NOW - timedelta(days=120),
        version=1,
    )
    row.update(values)
    return row


def _history(n: int, case_id: int) -> dict:
    """A check-in that is not due: held and recorded, cancelled, or booked beyond the reminder window."""
    kind = n % 10
    if kind < 6:
        held = NOW - timedelta(days=3 + n % 700, hours=n % 7)
        return _check_in(
            n, case_id, held, outcome="attended_complied", outcome_recorded_at=held, engagement=4, version=2
        )
    if kind < 7:
        return _check_in(
            n,
            case_id,
            NOW + timedelta(days=5 + n % 60),
            cancelled_at=NOW,
            cancel_reason="Moved by the person",
            requested_by="person",
        )
    return _check_in(n, case_id, NOW + timedelta(days=3, hours=n % 2000))


def generate(engine: Engine, *, due: int, total: int) -> None:
    with Session(engine) as session:
        team, user = bench_staff(session, role="navigator")
        cases = max(2 * due, total // PER_CASE)
        for start in range(1, cases + 1, 5000):
            numbers = range(start, min(cases, start + 4999) + 1)
            people = [
                person_row(n, created_by_id=user.id, email=f"person{n}@example.org", reminder_by_email=True)
                for n in numbers
            ]
            session.execute(insert(Person), people)
            session.execute(
                insert(Case),
                [
                    _case(n, state=CaseState.ACTIVE, team_id=team.id, user_id=user.id, navigator_id=user.id)
                    for n in numbers
                ],
            )
        # The due ones first, one per case: missed yesterday, then starting in one to two hours (each
        # due for its 2-hour reminder; booked too late for the 48-hour one).
        rows = [_check_in(n, n, YESTERDAY - timedelta(minutes=n % 300)) for n in range(1, due + 1)]
        rows += [_check_in(n, n, NOW + timedelta(minutes=61 + n % 59)) for n in range(due + 1, 2 * due + 1)]
        for start in range(0, len(rows), 5000):
            session.execute(insert(CheckIn), rows[start : start + 5000])
        for start in range(2 * due + 1, total + 1, 5000):
            numbers = range(start, min(total, start + 4999) + 1)
            session.execute(insert(CheckIn), [_history(n, 1 + n % cases) for n in numbers])
        session.commit()
    _analyze(engine)


def _analyze(engine: Engine) -> None:
    """Fresh planner statistics after a sweep's work is kept, as autovacuum would soon give them."""
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()


def measure(engine: Engine, rounds: int) -> dict[str, float]:
    def mark(session):
        return check_in_outcomes.mark_missed(session, now=NOW)

    def mark_batch(session):
        # As the scheduler runs it: a batch at a time, the oldest first.
        return check_in_outcomes.mark_missed(session, now=NOW, limit=BATCH)

    def remind(session):
        return reminders.queue_due(session, now=NOW, channels=EMAIL)

    def explanations(session):
        return check_in_outcomes.flag_overdue_explanations(session, now=NOW)

    floor_rounds = max(rounds, 20)
    results = {"floor": _timed(engine, lambda s: s.execute(text("SELECT id FROM check_ins WHERE id = 1")).one(), 20)}
    results["mark missed: marking"] = _timed(engine, mark, rounds)
    print(f"  marked {HANDLED['mark']:,} missed check-ins a round")
    _timed(engine, mark, 1, keep=True)
    _analyze(engine)
    results["mark missed: nothing new"] = _timed(engine, mark_batch, floor_rounds)
    results["queue reminders: queueing"] = _timed(engine, remind, rounds)
    print(f"  queued {HANDLED['remind']:,} reminders a round")
    _timed(engine, remind, 1, keep=True)
    _analyze(engine)
    results["queue reminders: nothing new"] = _timed(engine, remind, floor_rounds)
    results["explanations overdue: none due"] = _timed(engine, explanations, floor_rounds)
    return {name: statistics.median(samples) for name, samples in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--check-ins", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    def build(total: int):
        def fill(engine: Engine) -> str:
            generate(engine, due=args.due, total=total)
            return f"{total:,} check-ins"

        return fill

    medians = measure_sizes(
        args.database,
        [("small", build(2 * args.due)), ("big", build(args.check_ins))],
        lambda engine: measure(engine, args.rounds),
    )
    print(f"\n{args.due:,} due of each kind; big database: {args.check_ins:,} check-ins in all.\n")
    print_table(args.database, medians, ratio_digits=2)


if __name__ == "__main__":
    main()
