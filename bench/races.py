"""Lost races behind gunicorn: concurrent duplicate submissions, counted by response.

    .venv/bin/python bench/races.py [--database sqlite|postgresql] [--rounds 10] [--copies 4] [--downloads 20]
                                    [--workers 4] [--app-root PATH]

Starts the app under gunicorn (sync workers) on a throw-away database, prepares a fresh case for
every race in every round, then fires the copies of each submission at the same moment from
threads: two supervisors reallocating one case; a double-submitted allocation, first contact,
consent-and-refer and contract start; simultaneous first downloads of one contract PDF; and a
double-submitted case note and partner referral. Prints, per race, the responses by class, how
many refusals said so in words, and in how many rounds exactly one change was made.

`--app-root` serves another checkout (an earlier commit, say) with the same data, to compare.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from bench.sign_in import _database
from casework.db import make_engine, make_session_factory
from casework.domain import needs
from casework.domain.clock import local
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.migrate import upgrade
from casework.models import (
    Allocation,
    AuditEvent,
    Case,
    CaseNote,
    Contract,
    ContractDocument,
    Person,
    Referral,
    Team,
)
from casework.services import accounts, allocation, assessment, contract_signing, contracts, referrals
from casework.services.accounts import AccountDetails
from casework.services.assessment import DomainInput
from casework.services.contract_signing import Signing
from casework.services.referrals import ServiceDetails
from tests.form_posts import as_shown

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "benchmark walnut compass"
TOLD = ("Someone else changed", "already sent", "already has an open case")


class Browser:
    """One browser: its own cookies, plain HTTP to the local server, redirects not followed."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies, self.lock = port, {}, threading.Lock()

    def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, str]:
        body = urlencode(fields or {}, doseq=True)
        with self.lock:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body if method == "POST" else None, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            with self.lock:
                for header, value in response.getheaders():
                    if header.lower() == "set-cookie":
                        name, _, rest = value.partition("=")
                        self.cookies[name] = rest.split(";", 1)[0]
            text = payload.decode("utf-8", "replace") if b"%PDF" not in payload[:8] else payload.hex()
            return response.status, text
        finally:
            connection.close()

    def form(self, page: str, action: str | None = None) -> dict[str, str]:
        """What the page's form (posting to `action`, or to the page itself) sends with nothing typed:
        a post without a field its page always sends is refused as incomplete."""
        status, html = self.request("GET", page)
        assert status == 200, (page, status)
        for form in BeautifulSoup(html, "html.parser").select("form[method=post]"):
            target = form.get("action") or page
            if not target.endswith("/sign-out") and (action is None or target.endswith(action)):
                return as_shown(form)
        raise AssertionError(f"no form for {action} on {page}")

    def sign_in(self, username: str) -> None:
        fields = self.form("/sign-in")
        status, _ = self.request("POST", "/sign-in", {**fields, "username": username, "passphrase": PASSPHRASE})
        assert status == 302, f"sign-in as {username}: {status}"


@dataclass
class Tally:
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    told: int = 0
    single_change_rounds: int = 0

    def add(self, responses: list[tuple[int, str]], changes: int) -> None:
        self.requests += len(responses)
        for status, text in responses:
            self.statuses["400/409" if status in (400, 409) else f"{status // 100}xx"] += 1
            self.told += any(words in text for words in TOLD)
        self.single_change_rounds += changes == 1


def at_once(*sends) -> list[tuple[int, str]]:
    start = threading.Barrier(len(sends))

    def run(send):
        start.wait(timeout=60)
        return send()

    with ThreadPoolExecutor(max_workers=len(sends)) as pool:
        return [future.result(timeout=120) for future in [pool.submit(run, send) for send in sends]]


# ---- the data each round needs ------------------------------------------------------------------


@dataclass
class Staff:
    team_id: int
    supervisors: list
    navigators: list
    sergeant: object
    service_id: int


def _user(session, team: Team, role: Role, name: str, now: datetime):
    details = AccountDetails(
        username=f"{name}.{uuid.uuid4().hex[:4]}",
        full_name=name.replace(".", " ").title(),
        email=f"{name}.{uuid.uuid4().hex[:4]}@example.police.uk",
        organisation="Bench",
        team_id=team.id,
        roles=frozenset({role}),
    )
    user = accounts.create_user(session, actor=None, details=details, now=now)
    accounts.set_initial_passphrase(session, user=user, passphrase=PASSPHRASE, now=now)
    return user


def staff(session, now: datetime) -> Staff:
    team = Team(name=f"Bench team {uuid.uuid4().hex[:6]}", area="Bench")
    session.add(team)
    session.flush()
    supervisors = [_user(session, team, Role.SUPERVISOR, f"sam.super{n}", now) for n in range(2)]
    navigators = [_user(session, team, Role.NAVIGATOR, f"nia.nav{n}", now) for n in range(3)]
    sergeant = _user(session, team, Role.CUSTODY_SERGEANT, "sid.sergeant", now)
    service = ServiceDetails(name="Recovery hub", pathway="drugs", data_accepted="Name", phone="0191 555 0199")
    service_id = referrals.add_service(session, actor=supervisors[0], details=service, now=now).id
    return Staff(team.id, supervisors, navigators, sergeant, service_id)


def _case(session, crew: Staff, now: datetime, state: CaseState, **values) -> Case:
    opener = crew.sergeant
    person = Person(
        given_names="Casey",
        family_name="Bench",
        family_name_folded="bench",
        date_of_birth=datetime(1990, 3, 27).date(),
        address_line_1="1 High Street",
        town="Durham",
        postcode="DH1 3HP",
        preferred_language="en",
        created_at=now,
        created_by_id=opener.id,
    )
    session.add(person)
    session.flush()
    row = dict(
        reference=f"CP-B-{secrets.randbelow(10**8):08d}",
        person_id=person.id,
        team_id=crew.team_id,
        state=state.value,
        opened_by_id=opener.id,
        opened_at=now - timedelta(days=3),
        gate_answers={},
        reason_codes=[],
        crime_reference="DC/BENCH",
        offence_first_on=(now - timedelta(days=4)).date(),
        offence_last_on=(now - timedelta(days=4)).date(),
    )
    if state is not CaseState.ELIGIBILITY_DRAFT:
        row.update(
            consent_at=now - timedelta(days=2),
            first_appointment_at=now - timedelta(days=1),
            first_appointment_place="Navigator office",
            referred_at=now - timedelta(days=2),
            provisional_eligible=True,
        )
    row.update(values)
    case = Case(**row)
    session.add(case)
    session.flush()
    return case


def _assessed(session, crew: Staff, now: datetime) -> Case:
    navigator = crew.navigators[0]
    case = _case(session, crew, now, CaseState.ASSESSMENT, navigator_id=navigator.id)
    scores = [DomainInput(domain, 0, False) for domain, _ in needs.NEED_DOMAINS]
    assessment.record_assessment(
        session, actor=navigator, case=case, stage=needs.Stage.ENTRY, scores=scores, flags={}, now=now
    )
    return case


def _signed(session, crew: Staff, now: datetime) -> Case:
    navigator = crew.navigators[0]
    case = _assessed(session, crew, now)
    contract = contracts.start_contract(session, actor=navigator, case=case, seen_version=case.version, now=now)
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=contract.version, now=now
    )
    signing = Signing(
        signed_at=now - timedelta(minutes=5),
        place="Navigator office",
        language="en",
        interpreter_present=False,
        appropriate_adult_present=False,
        solicitor_present=False,
        person_signature="typed_name",
        signature_name="Casey Bench",
        copy_given="paper",
    )
    contract_signing.sign(session, actor=navigator, case=case, signing=signing, seen_version=contract.version, now=now)
    return case


# ---- the races ----------------------------------------------------------------------------------


def races(crew: Staff, browsers: dict, copies: int, downloads: int):
    """Each race: (name, prepare(session, now) -> case, fire(case_id) -> responses, changes(session, case_id))."""
    supervisor, other_supervisor = browsers["supervisor0"], browsers["supervisor1"]
    navigator, sergeant = browsers["navigator0"], browsers["sergeant"]
    now_local = local(datetime.now(UTC))
    today = now_local.strftime("%d/%m/%Y")

    def events(action: str):
        return lambda session, case_id: session.scalar(
            select(func.count()).where(AuditEvent.case_id == case_id, AuditEvent.action == action)
        )

    def reallocate(case_id):
        path = f"/cases/{case_id}/allocate"
        forms = [browser.form(path) for browser in (supervisor, other_supervisor)]
        picks = [crew.navigators[1].id, crew.navigators[2].id]
        return at_once(
            *(
                lambda b=b, f=f, p=p: b.request("POST", path, {**f, "navigator_id": p, "reason": "Workload"})
                for b, f, p in zip((supervisor, other_supervisor), forms, picks, strict=True)
            )
        )

    def duplicate(browser, page, action, answers):
        """The same form, filled in once, sent `copies` times at once: a double (or quadruple) click."""
        fields = {**browser.form(page, action), **answers}
        return at_once(*(lambda: browser.request("POST", action, fields) for _ in range(copies)))

    def prepare_reallocation(session, now):
        case = _case(session, crew, now, CaseState.REFERRED)
        allocation.allocate(
            session,
            actor=crew.supervisors[0],
            case=case,
            navigator=crew.navigators[0],
            reason="",
            seen_version=case.version,
            now=now,
        )
        return case

    contact = {
        "contact_date": today,
        "contact_time": (now_local - timedelta(minutes=30)).strftime("%H:%M"),
        "method": "in_person",
    }
    consent = {
        "consent_date": today,
        "consent_time": (now_local - timedelta(minutes=2)).strftime("%H:%M"),
        "witnessed_by": "PC 4521 Hall",
        "solicitor_present": "no",
        "interpreter_present": "no",
        "appropriate_adult_present": "no",
        "appointment_date": (now_local + timedelta(days=1)).strftime("%d/%m/%Y"),
        "appointment_time": "10am",
        "appointment_place": "Navigator office, Durham",
    }
    referral = {
        "service_id": crew.service_id,
        "need_domain": "drugs",
        "sent_on": today,
        "method": "secure_email",
        "data_shared": ["name", "reason"],
        "consent_recorded": "y",
    }

    def count(model, column):
        return lambda session, case_id: session.scalar(select(func.count()).select_from(model).where(column == case_id))

    return [
        ("two supervisors reallocating", prepare_reallocation, reallocate, events("case.reallocated")),
        (
            "allocation",
            lambda s, now: _case(s, crew, now, CaseState.REFERRED),
            lambda c: duplicate(
                supervisor, f"/cases/{c}/allocate", f"/cases/{c}/allocate", {"navigator_id": crew.navigators[0].id}
            ),
            count(Allocation, Allocation.case_id),
        ),
        (
            "first contact",
            lambda s, now: _case(s, crew, now, CaseState.REFERRED, navigator_id=crew.navigators[0].id),
            lambda c: duplicate(navigator, f"/cases/{c}/first-contact", f"/cases/{c}/first-contact", contact),
            events("case.record_first_contact"),
        ),
        (
            "consent and refer",
            lambda s, now: _case(
                s,
                crew,
                now,
                CaseState.ELIGIBILITY_DRAFT,
                arrested_at=now - timedelta(hours=6),
                provisional_eligible=True,
                evaluated_at=now - timedelta(minutes=10),
            ),
            lambda c: duplicate(
                sergeant, f"/custody/cases/{c}/offer/accepted", f"/custody/cases/{c}/offer/accepted", consent
            ),
            events("case.refer"),
        ),
        (
            "contract start",
            lambda s, now: _assessed(s, crew, now),
            lambda c: duplicate(navigator, f"/cases/{c}/contract/", f"/cases/{c}/contract/start", {}),
            count(Contract, Contract.case_id),
        ),
        (
            "first PDF downloads",
            lambda s, now: _signed(s, crew, now),
            lambda c: at_once(
                *(lambda: navigator.request("GET", f"/cases/{c}/contract/1.pdf?lang=en") for _ in range(downloads))
            ),
            lambda session, case_id: session.scalar(
                select(func.count())
                .select_from(ContractDocument)
                .join(Contract, Contract.id == ContractDocument.contract_id)
                .where(Contract.case_id == case_id)
            ),
        ),
        (
            "case note",
            lambda s, now: _case(s, crew, now, CaseState.ASSESSMENT, navigator_id=crew.navigators[0].id),
            lambda c: duplicate(navigator, f"/cases/{c}", f"/cases/{c}/notes", {"body": "Met at the hub."}),
            count(CaseNote, CaseNote.case_id),
        ),
        (
            "partner referral",
            lambda s, now: _case(s, crew, now, CaseState.ASSESSMENT, navigator_id=crew.navigators[0].id),
            lambda c: duplicate(navigator, f"/cases/{c}/referrals/new", f"/cases/{c}/referrals/new", referral),
            count(Referral, Referral.case_id),
        ),
    ]


# ---- the server ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(url: str, app_root: Path, workers: int, port: int, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "CASEWORK_DATABASE_URL": url,
        "CASEWORK_SECRET_KEY": secrets.token_hex(16),
        "CASEWORK_SECURE_COOKIES": "0",
        "CASEWORK_MIGRATE_ON_START": "0",
        "PYTHONPATH": str(app_root),
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    command += ["--chdir", str(app_root), "--timeout", "120", "casework:create_app()"]
    server = subprocess.Popen(command, env=env, cwd=app_root, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/sign-in")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start: see the log")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--copies", type=int, default=4, help="duplicate submissions fired at once")
    parser.add_argument("--downloads", type=int, default=20, help="simultaneous first downloads of one PDF")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--app-root", type=Path, default=ROOT)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        url, drop = _database(args.database, workdir)
        engine = make_engine(url)
        server = None
        try:
            upgrade(engine)
            sessions = make_session_factory(engine)
            with sessions() as session:
                crew = staff(session, datetime.now(UTC))
                session.commit()
            log = open(Path(workdir) / "gunicorn.log", "w")  # noqa: SIM115 - lives as long as the server
            port = _free_port()
            server = serve(url, args.app_root.resolve(), args.workers, port, log)
            people = {
                "supervisor0": crew.supervisors[0],
                "supervisor1": crew.supervisors[1],
                "navigator0": crew.navigators[0],
                "sergeant": crew.sergeant,
            }
            browsers = {}
            for key, user in people.items():
                browsers[key] = Browser(port)
                browsers[key].sign_in(user.username)
            tallies = {}
            for name, prepare, fire, changes in races(crew, browsers, args.copies, args.downloads):
                tally = tallies.setdefault(name, Tally())
                for _ in range(args.rounds):
                    with sessions() as session:
                        case_id = prepare(session, datetime.now(UTC)).id
                        session.commit()
                    responses = fire(case_id)
                    with sessions() as session:
                        tally.add(responses, changes(session, case_id))
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            engine.dispose()
            drop()

    print(f"{args.database}, {args.workers} gunicorn workers, {args.rounds} rounds, app at {args.app_root}")
    print("| race | requests | 2xx | 3xx | 400/409 | other 4xx | 5xx | told in words | rounds with one change |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, tally in tallies.items():
        s = tally.statuses
        print(
            f"| {name} | {tally.requests} | {s['2xx']} | {s['3xx']} | {s['400/409']} | {s['4xx']} | {s['5xx']} "
            f"| {tally.told} | {tally.single_change_rounds} of {args.rounds} |"
        )


if __name__ == "__main__":
    main()
