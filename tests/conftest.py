"""Test database set-up: real migrations on SQLite or PostgreSQL, one rolled-back transaction per test.

CASEWORK_TEST_DATABASE=sqlite (default) or postgresql picks the database; the PostgreSQL leg
creates a throw-away database on the server named by CASEWORK_TEST_POSTGRES_URL. There the
migrations run as the server's owner role, and the app and the tests then connect as an application
role that owns nothing (APP_ROLE, as `db-grant-app-role` sets it up), as a deployment should.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from faker import Faker
from flask import Flask
from jinja2 import BytecodeCache
from sqlalchemy import Connection, Engine, create_engine, select, text
from sqlalchemy.orm import Session

from casework import create_app
from casework.db import make_engine
from casework.domain.audit_chain import Keyring, audit_key
from casework.domain.clock import FixedClock
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.migrate import upgrade
from casework.models import (
    Assessment,
    Case,
    CaseOffence,
    Condition,
    Contract,
    Offence,
    Person,
    SignInSession,
    Team,
    User,
)
from casework.services import accounts, audit_keys
from casework.services.accounts import AccountDetails, token_digest
from casework.services.database_roles import grant_app_role

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TEST_PASSPHRASE = "tangerine harbour bicycle"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
# The London date reports are made on in tests: the day NOW falls on.
REPORT_DAY = date(2026, 11, 24)
TEST_AUDIT_KEY = "audit-key-for-tests-" + "5" * 44
# Cluster-wide (roles are not per database), made once if missing; NOLOGIN, as connections take it
# on with a startup option rather than logging in as it.
APP_ROLE = "casework_app_test"

fake = Faker("en_GB")


def backend() -> str:
    return os.environ.get("CASEWORK_TEST_DATABASE", "sqlite")


def postgres_admin_url() -> str:
    return os.environ.get("CASEWORK_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


class ThrowawayDatabase:
    """A fresh, empty database for one test run (or one migration test).

    `engine` and `url` are the owner's until `run_as_application()`; `owner_engine` stays the
    owner's, for migrations and for tampering as someone with full access to the database would.
    """

    def __init__(self, tmp_dir, *, copy_of: ThrowawayDatabase | None = None) -> None:
        """Empty, or a copy of `copy_of` (which must have no open connections)."""
        self.kind = backend()
        if self.kind == "postgresql":
            self.name = f"casework_test_{uuid.uuid4().hex[:12]}"
            self._admin = create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
            template = f' TEMPLATE "{copy_of.name}"' if copy_of else ""
            with self._admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{self.name}"{template}'))
            self.url = re.sub(r"/[^/]*$", f"/{self.name}", postgres_admin_url())
        else:
            self.url = f"sqlite:///{tmp_dir}/casework-{uuid.uuid4().hex[:8]}.sqlite3"
            if copy_of:
                shutil.copyfile(copy_of.url.removeprefix("sqlite:///"), self.url.removeprefix("sqlite:///"))
        self.owner_url = self.url
        self.owner_engine = self.engine = make_engine(self.url)
        if copy_of is not None and copy_of.url != copy_of.owner_url:
            self._connect_as_application()  # the copy carries the template's grants

    def run_as_application(self) -> None:
        """Grant the application role its privileges (as the owner); from now on `engine` and `url`
        connect as that role. SQLite has no roles: nothing changes."""
        if self.kind != "postgresql":
            return
        _ensure_app_role()
        with self.owner_engine.begin() as connection:
            grant_app_role(connection, APP_ROLE)
        self._connect_as_application()

    def _connect_as_application(self) -> None:
        if self.kind == "postgresql":
            self.url = f"{self.owner_url}?options=-c%20role%3D{APP_ROLE}"
            self.engine = make_engine(self.url)

    def dispose(self) -> None:
        self.engine.dispose()
        self.owner_engine.dispose()

    def drop(self) -> None:
        self.dispose()
        if self.kind == "postgresql":
            with self._admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            self._admin.dispose()


_app_role_ready = False


def _ensure_app_role() -> None:
    global _app_role_ready
    if _app_role_ready:
        return
    admin = create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        # Another test run on the same server may create it at the same moment.
        connection.execute(
            text(
                f"DO $$ BEGIN CREATE ROLE {APP_ROLE} NOLOGIN; "
                "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            )
        )
    admin.dispose()
    _app_role_ready = True


@pytest.fixture(scope="session", autouse=True)
def audit_key_for_tests():
    """Every app the tests make, and every event they record, uses one known audit key."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CASEWORK_AUDIT_KEY", TEST_AUDIT_KEY)
        patch.delenv("CASEWORK_AUDIT_KEYS_RETIRED", raising=False)
        yield Keyring(current=audit_key(TEST_AUDIT_KEY))


@pytest.fixture(scope="session")
def _checkpoint_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("audit-checkpoints")


@pytest.fixture(autouse=True)
def audit_checkpoints(audit_key_for_tests, _checkpoint_folder, monkeypatch):
    """Each test's own checkpoint file (a checkpoint of one test's database would not match the
    next one's), and the test key back in place if a test changed it."""
    path = _checkpoint_folder / f"{uuid.uuid4().hex}.jsonl"
    monkeypatch.setenv("CASEWORK_AUDIT_CHECKPOINTS", str(path))
    audit_keys.install(audit_key_for_tests)
    return path


@pytest.fixture(scope="session", autouse=True)
def cheap_argon2():
    """argon2id at its production cost takes ~0.1 s per hash; tests hash hundreds of times.
    tests/services/test_passwords.py checks the production parameters themselves."""
    from argon2 import PasswordHasher

    from casework.services import passwords

    production = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield production
    passwords._hasher = production


class _CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory for the whole run, keyed by template and checked against its
    source, so each test's new app does not parse and compile every template it renders again."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])  # ignored if the source changed

    def dump_bytecode(self, bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session", autouse=True)
def templates_compiled_once():
    """Compiling the templates took about half of a page test's time: every test makes its own app,
    and each app's Jinja environment compiled every template it rendered afresh. Rendering is
    unchanged; only the compiled code is shared between the apps."""
    cache = _CompiledTemplates()
    make_environment = Flask.create_jinja_environment

    def create_jinja_environment(self):
        environment = make_environment(self)
        environment.bytecode_cache = cache
        return environment

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Flask, "create_jinja_environment", create_jinja_environment)
        yield cache


@pytest.fixture(scope="session")
def database(tmp_path_factory) -> Iterator[ThrowawayDatabase]:
    created = ThrowawayDatabase(tmp_path_factory.mktemp("db"))
    upgrade(created.engine)
    created.run_as_application()
    yield created
    created.drop()


@pytest.fixture
def fresh_database(tmp_path) -> Iterator[ThrowawayDatabase]:
    """An empty database with no migrations applied, for migration tests."""
    created = ThrowawayDatabase(tmp_path)
    yield created
    created.drop()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Iterator[ThrowawayDatabase]:
    """Migrated once; `migrated_database` copies it, which is several times quicker than migrating."""
    created = ThrowawayDatabase(tmp_path_factory.mktemp("template"))
    upgrade(created.engine)
    created.run_as_application()
    created.dispose()  # PostgreSQL copies a template only while nobody is connected to it
    yield created
    created.drop()


@pytest.fixture
def migrated_database(tmp_path, migrated_template) -> Iterator[ThrowawayDatabase]:
    """A database of its own at the latest migration, with real separate connections and real
    commits, for concurrency and scheduler tests."""
    created = ThrowawayDatabase(tmp_path, copy_of=migrated_template)
    yield created
    created.drop()


@pytest.fixture
def engine(database) -> Engine:
    return database.engine


@pytest.fixture
def connection(engine) -> Iterator[Connection]:
    """One connection in one outer transaction, rolled back after the test: nothing a test or a
    view commits (each commit only releases a savepoint) survives it."""
    with engine.connect() as shared:
        outer = shared.begin()
        yield shared
        outer.rollback()


def _savepoint_session(connection: Connection) -> Session:
    return Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
def session(connection) -> Iterator[Session]:
    test_session = _savepoint_session(connection)
    yield test_session
    test_session.close()


@pytest.fixture
def clock() -> FixedClock:
    """The instant every web test runs at; a test may move it (midnight, daylight-saving changes)."""
    return FixedClock(NOW)


@pytest.fixture
def app(database, connection, clock):
    application = create_app(
        {"database_url": database.url, "migrate_on_start": False, "secure_cookies": False, "secret_key": "test-key"},
        clock=clock,
    )
    # Each request gets its own session, as in production, on the test's connection.
    application.extensions["casework.sessions"] = lambda: _savepoint_session(connection)
    return application


@pytest.fixture
def client(app):
    return app.test_client()


# ---- builders ---------------------------------------------------------------------------------


def make_team(session: Session, **overrides) -> Team:
    team = Team(name=overrides.get("name", f"{fake.city()} {uuid.uuid4().hex[:4]}"), area=overrides.get("area", "Area"))
    session.add(team)
    session.flush()
    return team


def make_user(
    session: Session,
    *,
    roles=(Role.NAVIGATOR,),
    team: Team | None = None,
    passphrase: str | None = TEST_PASSPHRASE,
    now: datetime = NOW,
    **overrides,
) -> User:
    team = team or make_team(session)
    first, last = fake.first_name(), fake.last_name()
    details = AccountDetails(
        username=overrides.get("username", f"{first}.{last}.{uuid.uuid4().hex[:4]}".lower().replace("'", "")),
        full_name=overrides.get("full_name", f"{first} {last}"),
        email=overrides.get("email", f"{first}.{last}@example.police.uk".lower().replace("'", "")),
        organisation=overrides.get("organisation", "Test Constabulary"),
        team_id=team.id,
        roles=frozenset(roles),
    )
    user = accounts.create_user(session, actor=None, details=details, now=now)
    if passphrase:
        accounts.set_initial_passphrase(session, user=user, passphrase=passphrase, now=now)
    return user


def make_person(session: Session, *, creator: User, **overrides) -> Person:
    family = overrides.pop("family_name", fake.last_name())
    person = Person(
        given_names=overrides.pop("given_names", fake.first_name()),
        family_name=family,
        family_name_folded=family.lower(),
        date_of_birth=overrides.pop("date_of_birth", fake.date_of_birth(minimum_age=18, maximum_age=70)),
        address_line_1=fake.street_address(),
        town=fake.city(),
        postcode=fake.postcode(),
        preferred_language=overrides.pop("preferred_language", "en"),
        created_at=NOW,
        created_by_id=creator.id,
        **overrides,
    )
    session.add(person)
    session.flush()
    return person


# Counted, not drawn at random: a test making a hundred cases with random six-digit references hit
# the unique key about once in two hundred runs. The start is high, clear of the references the
# service gives (CP-26- and the case's id).
_references = itertools.count(random.randrange(100_000, 800_000))


def make_case(
    session: Session,
    *,
    team: Team,
    state: CaseState = CaseState.REFERRED,
    offence_codes: tuple[str, ...] = (),
    **overrides,
) -> Case:
    """A case in any state with the data that state requires (the CHECK constraints insist), holding
    the installed catalogue's offences named by `offence_codes` (none by default)."""
    opener = overrides.pop("opened_by", None) or make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    person = overrides.pop("person", None) or make_person(session, creator=opener)
    values = dict(
        reference=f"CP-26-{next(_references):06d}",
        person_id=person.id,
        team_id=team.id,
        state=state.value,
        opened_by_id=opener.id,
        opened_at=NOW,
        gate_answers={},
        reason_codes=[],
        crime_reference=f"DC/{uuid.uuid4().int % 10**8:08d}",
        offence_first_on=NOW.date(),
        offence_last_on=NOW.date(),
    )
    if state not in (CaseState.ELIGIBILITY_DRAFT, CaseState.INELIGIBLE, CaseState.DECLINED):
        values.update(
            consent_at=NOW,
            first_appointment_at=NOW,
            first_appointment_place="Navigator office",
            referred_at=NOW,
            provisional_eligible=True,
        )
    if state.is_terminal:
        values["closed_at"] = NOW
    if state is CaseState.WITHDRAWN_IN_ERROR:
        values.update(withdrawal_reason="duplicate", withdrawal_detail="Opened twice")
    values.update(overrides)
    case = Case(**values)
    session.add(case)
    session.flush()
    for code in offence_codes:
        session.add(
            CaseOffence(case_id=case.id, offence_id=session.scalar(select(Offence.id).where(Offence.code == code)))
        )
    if offence_codes:
        session.flush()
        session.expire(case, ["offences"])
    return case


def make_assessment(session: Session, *, case: Case, stage: str, by: User, completed: bool = True) -> Assessment:
    """An assessment row for a stage, completed (as a finished journey leaves it) or a draft; no answers."""
    assessment = Assessment(
        case_id=case.id,
        stage=stage,
        status="completed" if completed else "draft",
        started_at=NOW,
        started_by_id=by.id,
        flags_reviewed_at=NOW if completed else None,
        assessed_at=NOW if completed else None,
        assessed_by_id=by.id if completed else None,
    )
    session.add(assessment)
    session.flush()
    return assessment


def make_contract(
    session: Session,
    *,
    case: Case,
    created_by: User,
    status: str = "signed",
    version_number: int = 1,
    starts_on: date | None = None,
    ends_on: date | None = None,
    **overrides,
) -> Contract:
    """A contract version in any status with the 'no further offending' condition and a course of three
    sessions; a signed or superseded one has its signature and term (the CHECK constraint insists)."""
    values = dict(
        case_id=case.id,
        version_number=version_number,
        status=status,
        created_by_id=created_by.id,
        created_at=NOW,
        changed_at=NOW,
        version=1,
    )
    if status in ("signed", "superseded"):
        starts_on = starts_on or NOW.date()
        values.update(
            agreement="agrees",
            signed_at=NOW,
            signed_by_navigator_id=created_by.id,
            starts_on=starts_on,
            ends_on=ends_on or starts_on + timedelta(days=120),
        )
    values.update(overrides)
    contract = Contract(**values)
    contract.conditions.append(
        Condition(position=1, type="offending", wording="Do not offend again.", rule="whole_term")
    )
    # A condition progress can be recorded against (the offending one is kept, not counted).
    course_due = (starts_on or NOW.date()) + timedelta(days=60)
    contract.conditions.append(
        Condition(
            position=2,
            type="education",
            wording="Attend the drugs awareness course.",
            rule="sessions",
            target=3,
            due_on=course_due,
        )
    )
    session.add(contract)
    session.flush()
    return contract


@pytest.fixture
def team(session) -> Team:
    return make_team(session, name="Durham test team")


@pytest.fixture
def other_team(session) -> Team:
    return make_team(session, name="Darlington test team")


# ---- signing in -------------------------------------------------------------------------------


def csrf_token(client, path: str) -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    assert match, f"no CSRF token on {path} (status {page.status_code})"
    return match.group(1)


def page_form(client, path: str, form_action: str | None = None):
    """The form posting to `form_action` on `path`, or else the page's first form other than the
    header's sign-out, as parsed HTML."""
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    forms = [
        form
        for form in BeautifulSoup(page.text, "html.parser").select("form[method=post]")
        if not (form.get("action") or path).endswith("/sign-out")
        and (form_action is None or (form.get("action") or path).endswith(form_action))
    ]
    assert forms, f"no form on {path}"
    return forms[0]


def hidden_fields(client, path: str, form_action: str | None = None) -> dict[str, str]:
    """What a browser sends back unseen from a page's form (CSRF token, version, one-time token)."""
    form = page_form(client, path, form_action)
    return {field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")}


def sign_in(client, user: User, passphrase: str = TEST_PASSPHRASE):
    """Through the real sign-in form."""
    return client.post(
        "/sign-in",
        data={"csrf_token": csrf_token(client, "/sign-in"), "username": user.username, "passphrase": passphrase},
    )


def sign_in_quickly(client, session: Session, user: User) -> None:
    """A live server-side session without the deliberate cost of argon2, for tests about pages."""
    import secrets

    token = secrets.token_urlsafe(16)
    now = client.application.extensions["casework.clock"].now()
    session.add(SignInSession(token_hash=token_digest(token), user_id=user.id, started_at=now, last_seen_at=now))
    session.commit()  # requests roll back whatever the test left uncommitted
    with client.session_transaction() as cookie:
        cookie["sid"] = token
        cookie["_user_id"] = str(user.id)
        cookie["_fresh"] = True
