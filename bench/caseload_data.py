"""A force's generated caseload for bench/caseload.py: ten teams of navigators, one person per case,
years of mostly closed cases, their offences, and for the open ones contracts and check-ins.

The big tables are written with COPY on PostgreSQL and executemany in one transaction on SQLite,
with every constraint and foreign key of the real schema checked as the rows go in. Rows are built
as strings in the databases' own text formats (as SQLAlchemy writes them on SQLite), so one
generator feeds both. Seeded: the same size gives the same data.
"""

from __future__ import annotations

import queue
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from faker.providers.person.en_GB import Provider as BritishNames
from sqlalchemy import Engine, text

TEAMS = 10
NAVIGATORS_PER_TEAM = 10
# The caseload's open states in today's spread (active twice as common), and the closed history.
OPEN_STATES = ("referred", "assessment", "active", "active", "contract_draft")
CLOSED_STATES = ("completed", "completed", "completed", "closed_charged", "ineligible", "declined")
NEVER_REFERRED = {"ineligible", "declined"}
# PNC check letters, indexed by (two-digit year and serial as one number) mod 23.
PNC_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"
BATCH = 20_000


@dataclass(frozen=True)
class Loaded:
    cases: int
    seconds: dict[str, float]


def _stamp(moment: datetime) -> str:
    """Naive UTC with microseconds: what UTCDateTime stores, and the form SQLite compares as text."""
    return moment.isoformat(" ", "microseconds")


def _people_names(rng: random.Random, count: int) -> tuple[list[str], list[str]]:
    """Surnames drawn by their frequency in Britain (Faker en_GB's weights), given names evenly."""
    surnames = list(BritishNames.last_names)
    weights = list(BritishNames.last_names.values())
    given = list(BritishNames.first_names_male) + list(BritishNames.first_names_female)
    return rng.choices(surnames, weights, k=count), [rng.choice(given) for _ in range(count)]


def _rows(count: int, *, navigators: dict[int, list[int]], offence_ids: list[int], now: datetime, open_share: float):
    """Yields (table, rows) a batch at a time, parents before children, so foreign keys hold."""
    rng = random.Random(7)
    teams = sorted(navigators)
    creator = navigators[teams[0]][0]
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        surnames, given = _people_names(rng, size)
        people, cases, offences, contracts, conditions, check_ins = [], [], [], [], [], []
        for n in range(size):
            case_id = start + n + 1
            is_open = rng.random() < open_share
            state = rng.choice(OPEN_STATES if is_open else CLOSED_STATES)
            team = teams[case_id % TEAMS]
            # Open cases are this year's, with a running contract's 16 weeks not yet over once active;
            # the closed ones go back eight years.
            days = rng.randrange(1, 300) if is_open else rng.randrange(200, 2900)
            opened = now - timedelta(days=30 + days % 80 if state == "active" else days, seconds=n)
            year = opened.year % 100
            serial = case_id % 10_000_000
            born = date(1950, 1, 1) + timedelta(days=rng.randrange(20_000))
            people.append(
                (
                    case_id,
                    given[n],
                    surnames[n],
                    surnames[n].lower(),
                    born.isoformat(),
                    f"{year:02d}/{serial:07d}{PNC_LETTERS[(year * 10_000_000 + serial) % 23]}",
                    f"{rng.randrange(1, 200)} {rng.choice(('High', 'Front', 'Church', 'Mill'))} Street",
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
                )
            )
            referred = state not in NEVER_REFERRED
            navigator = rng.choice(navigators[team]) if referred and rng.random() > 0.1 else None
            deadline = (opened + timedelta(days=rng.randrange(100, 160))).date()
            contacted = state not in ("referred",) and referred
            cases.append(
                (
                    case_id,
                    f"CP-{year:02d}-{case_id:06d}",
                    case_id,
                    team,
                    state,
                    1,
                    navigators[team][0],
                    _stamp(opened),
                    None if is_open else _stamp(min(now, opened + timedelta(days=rng.randrange(20, 200)))),
                    f"DC/{case_id}",
                    opened.date().isoformat(),
                    opened.date().isoformat(),
                    "{}",
                    "[]",
                    "0" if state == "ineligible" else "1",
                    _stamp(opened) if referred else None,
                    _stamp(opened + timedelta(days=3)) if referred else None,
                    "Durham police station" if referred else None,
                    _stamp(opened + timedelta(hours=1)) if referred else None,
                    (deadline + timedelta(days=21)).isoformat() if referred else None,
                    deadline.isoformat() if referred else None,
                    _stamp(opened + timedelta(days=3)) if contacted else None,
                    navigator,
                )
            )
            chosen = rng.sample(offence_ids, 2 if rng.random() < 0.2 else 1)
            offences.extend((case_id, offence) for offence in chosen)
            by = navigator or navigators[team][0]
            if state == "active":
                _contract(rng, case_id, by, opened, now, contracts, conditions, check_ins)
            elif state in ("assessment", "contract_draft"):
                when = now + timedelta(days=rng.randrange(1, 28), hours=rng.randrange(9, 17))
                check_ins.append(_check_in(case_id, None, when, "added", by, opened))
        yield "people", people
        yield "cases", cases
        yield "case_offences", offences
        yield "contracts", contracts
        yield "contract_conditions", conditions
        yield "check_ins", check_ins


def _contract(rng, case_id, by, opened, now, contracts, conditions, check_ins) -> None:
    """A signed contract with three conditions; two check-ins held, two to come, and now and then
    one held with no outcome recorded yet (what "My caseload" counts for its banner)."""
    signed = opened + timedelta(days=10)
    starts = signed.date()
    contracts.append(
        (
            case_id,
            case_id,
            1,
            "signed",
            by,
            _stamp(opened + timedelta(days=8)),
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
            starts.isoformat(),
            (starts + timedelta(days=112)).isoformat(),
        )
    )
    for position, (kind, wording, rule, target) in enumerate(
        (
            ("attendance", "Attend every check-in with your navigator", "whole_term", None),
            ("education", "Complete the alcohol awareness course", "sessions", 4),
            ("reparation", "Write a letter of apology to the victim", "document", None),
        ),
        start=1,
    ):
        conditions.append((case_id * 3 + position, case_id, position, kind, wording, rule, target, "in_progress"))
    for week in (-3, -1):
        held = now + timedelta(weeks=week, hours=rng.randrange(0, 8))
        check_ins.append(_check_in(case_id, case_id, held, "pattern", None, signed, outcome=by))
    if rng.random() < 0.05:
        check_ins.append(_check_in(case_id, case_id, now - timedelta(days=2), "pattern", None, signed))
    for week in (1, 3):
        check_ins.append(
            _check_in(case_id, case_id, now + timedelta(weeks=week, hours=rng.randrange(0, 8)), "pattern", None, signed)
        )


def _check_in(case_id, contract_id, when, source, created_by, created, *, outcome: int | None = None) -> tuple:
    return (
        case_id,
        contract_id,
        _stamp(when),
        "in_person",
        "Navigator office, Durham",
        source,
        _stamp(created),
        created_by,
        "attended_complied" if outcome else None,
        _stamp(when + timedelta(hours=1)) if outcome else None,
        outcome,
        4 if outcome else None,
        1,
    )


COLUMNS = {
    "people": "id, given_names, family_name, family_name_folded, date_of_birth, pnc_id, address_line_1, town, "
    "postcode, preferred_language, interpreter_needed, appropriate_adult_needed, reminder_by_email, "
    "reminder_by_sms, created_at, created_by_id, version",
    "cases": "id, reference, person_id, team_id, state, version, opened_by_id, opened_at, closed_at, "
    "crime_reference, offence_first_on, offence_last_on, gate_answers, reason_codes, provisional_eligible, "
    "consent_at, first_appointment_at, first_appointment_place, referred_at, latest_charge_on, "
    "decision_deadline_on, first_contact_at, navigator_id",
    "case_offences": "case_id, offence_id",
    "contracts": "id, case_id, version_number, status, created_by_id, created_at, changed_at, version, agreement, "
    "signed_at, signed_by_navigator_id, signing_recorded_by_id, signing_place, signing_language, "
    "person_signature, copy_given, starts_on, ends_on",
    "contract_conditions": "id, contract_id, position, type, wording, rule, target, status",
    "check_ins": "case_id, contract_id, scheduled_at, mode, place, source, created_at, created_by_id, outcome, "
    "outcome_recorded_at, outcome_recorded_by_id, engagement, version",
}
# Tables written with their own ids, whose sequences must move past them on PostgreSQL.
EXPLICIT_IDS = ("people", "cases", "contracts", "contract_conditions")


def load(engine: Engine, count: int, *, navigators: dict[int, list[int]], now: datetime, open_share: float) -> Loaded:
    """Writes `count` people and cases and all that hangs off them; returns the seconds each step took."""
    with engine.connect() as connection:
        offence_ids = list(connection.scalars(text("SELECT id FROM offences ORDER BY id")))
    rows = _rows(count, navigators=navigators, offence_ids=offence_ids, now=now, open_share=open_share)
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    if engine.dialect.name == "postgresql":
        _copy(engine, rows, seconds)
    else:
        _insert_many(engine, rows)
    seconds["load"] = time.perf_counter() - started
    started = time.perf_counter()
    analyze(engine)
    seconds["analyze"] = time.perf_counter() - started
    return Loaded(cases=count, seconds=seconds)


def _copy(
    engine: Engine,
    rows: Iterator[tuple[str, list[tuple]]],
    seconds: dict[str, float],
    columns: dict[str, str] = COLUMNS,
    explicit_ids: tuple[str, ...] = EXPLICIT_IDS,
) -> None:
    """COPY into the tables with their plain indexes and foreign keys set aside, then both put back
    from their own definitions in the same transaction: building an index once is several times
    faster than growing it row by row, and re-adding a foreign key checks every row in one join."""
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        tables = list(columns)
        cursor.execute(SET_ASIDE_INDEXES, {"tables": tables})
        indexes = cursor.fetchall()
        cursor.execute(FOREIGN_KEYS, {"tables": tables})
        foreign_keys = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        started = time.perf_counter()
        for table, lines in _ahead(rows):
            with cursor.copy(f"COPY {table} ({columns[table]}) FROM STDIN") as copy:
                copy.write(lines)
        seconds["copy"], started = time.perf_counter() - started, time.perf_counter()
        for _name, definition in indexes:
            cursor.execute(definition)
        seconds["indexes"], started = time.perf_counter() - started, time.perf_counter()
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        seconds["foreign keys"] = time.perf_counter() - started
        for table in explicit_ids:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        raw.driver_connection.commit()
    finally:
        raw.close()


def _ahead(rows: Iterator[tuple[str, list[tuple]]]) -> Iterator[tuple[str, str]]:
    """COPY's text for each batch, made on a thread of its own while the database takes the last."""
    made: queue.Queue = queue.Queue(maxsize=2)

    def make() -> None:
        try:
            for table, batch in rows:
                if batch:
                    made.put(
                        (table, "".join("\t".join(r"\N" if v is None else str(v) for v in row) + "\n" for row in batch))
                    )
            made.put(None)
        except BaseException as problem:  # handed over, so a broken generator cannot pass for a short one
            made.put(problem)

    threading.Thread(target=make, daemon=True).start()
    while (item := made.get()) is not None:
        if isinstance(item, BaseException):
            raise item
        yield item


# Plain indexes on columns, backing no primary key or unique constraint (those stay and are checked).
# Partial and expression indexes stay too: PostgreSQL writes their definition back in a form that
# differs from the migration's (`state IN (...)` comes back as `= ANY (ARRAY[...])`), which the
# planner need not match as it did the original.
SET_ASIDE_INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
WHERE i.indrelid::regclass::text = ANY(%(tables)s) AND i.indpred IS NULL AND i.indexprs IS NULL AND NOT EXISTS (
    SELECT 1 FROM pg_constraint c WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid
    AND c.contype IN ('p', 'u', 'x'))
"""
FOREIGN_KEYS = """
SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE contype = 'f' AND conrelid::regclass::text = ANY(%(tables)s)
"""


def _insert_many(engine: Engine, rows: Iterator[tuple[str, list[tuple]]], columns: dict[str, str] = COLUMNS) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        for table, batch in rows:
            marks = ", ".join("?" for _ in columns[table].split(","))
            cursor.executemany(f"INSERT INTO {table} ({columns[table]}) VALUES ({marks})", batch)
        cursor.execute("COMMIT")
    finally:
        raw.close()


def analyze(engine: Engine) -> None:
    """Fresh planner statistics. On PostgreSQL VACUUM too: freshly copied pages have no visibility map,
    so index-only scans would visit the table until autovacuum had been by, as it has on a live one."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
