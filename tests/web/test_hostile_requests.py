"""Hostile requests to every route: none may reach a server error.

The walk takes every rule in the app's URL map, signed in as a role that may use it, and sends:
record numbers beyond the database's integer range in each place of the address; a NUL character
in each text part of the address; query strings carrying NULs, huge numbers and the last day of
year 9999; and, to every form, what a hostile client can post: NULs in every field, huge numbers,
31/12/9999 in every text box, and tampered choices. Any 5xx fails the test, naming the request.
The same walk runs on SQLite and on PostgreSQL, whose integer columns end at 2**31 - 1 and whose
text cannot hold a NUL.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections import defaultdict
from urllib.parse import quote, urlencode

from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain.roles import PERMISSIONS, Role
from casework.models import AuditEvent, Offence, PartnerService
from tests.conftest import make_user, sign_in_quickly
from tests.web.test_consultations import _world as case_world

HUGE_NUMBERS = (2**31, 2**63, 99999999999999999999)
NUL_TEXT = "hostile\x00text"
HUGE = str(99999999999999999999)
LAST_DAY = "31/12/9999"
# Names a hostile client tries on any form or query string, besides those a page shows.
COMMON_FORM_NAMES = ("body", "note", "reason", "detail", "name", "username", "passphrase", "q", "search")
# Read from the query string outside any form: words, and record numbers.
QUERY_WORDS = ("tab", "order", "lang", "language", "system", "next", "action", "state", "sort")
QUERY_NUMBERS = ("page", "version", "update", "task", "case_id")
DATE_NAMES = ("date_from", "date_to")
KEPT = ("csrf_token", "version", "submission_token")  # sent back as the page gave them
DOCUMENTS = (".pdf", ".ics")
ROLES_IN_TURN = (Role.NAVIGATOR, Role.SUPERVISOR, Role.CUSTODY_SERGEANT, Role.ADMINISTRATOR)


def _walk_world(session, team):
    users, case, values, values_for = case_world(session, team)
    users[Role.ADMINISTRATOR] = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    values = {
        **values,
        "user_id": users[Role.NAVIGATOR].id,
        "person_id": case.person_id,
        "sequence": session.scalar(select(AuditEvent.sequence).order_by(AuditEvent.sequence.desc()).limit(1)),
        "service_id": session.scalar(select(PartnerService.id).where(PartnerService.team_id == team.id).limit(1)),
        "offence_id": session.scalar(select(Offence.id).limit(1)),
        "token": "not-a-real-token",
        "key": "funnel",
        "table": "stages",
        "sample_id": 1,
        "position": 1,
    }
    values_for = {endpoint: {**values, **own} for endpoint, own in values_for.items()}
    session.commit()
    return users, values, values_for


def _role_for(rule) -> Role | None:
    if rule.public:
        return None
    return next(role for role in ROLES_IN_TURN if rule.action is None or role in PERMISSIONS[rule.action])


def _fill(path: str, values: dict, **instead) -> str:
    def value(match):
        name = match.group(1).split(":")[-1]
        assert name in values, f"this test does not know how to build <{name}>; add it to _walk_world()"
        return quote(str(instead.get(name, values[name])), safe="")

    return re.sub(r"<([^>]+)>", value, path)


def _parameters(path: str) -> list[tuple[str, bool]]:
    """Each <...> of the rule: its name, and whether it is a number."""
    return [(part.split(":")[-1], part.startswith("int")) for part in re.findall(r"<([^>]+)>", path)]


def _addresses(path: str, values: dict, turn: itertools.count) -> list[str]:
    """The rule's address with each of its parts made hostile in turn. The huge numbers take
    turns across the walk (each converter and view meets all three, each place in an address
    one), which keeps the walk quick."""
    hostile = []
    for name, is_number in _parameters(path):
        bad = HUGE_NUMBERS[next(turn) % len(HUGE_NUMBERS)] if is_number else NUL_TEXT
        hostile.append(_fill(path, values, **{name: bad}))
    return hostile


def _forms(html: str, method: str, path: str) -> dict[str, list]:
    """The page's forms sent with `method`, by the address they are sent to."""
    found = defaultdict(list)
    for form in BeautifulSoup(html, "html.parser").find_all("form"):
        if (form.get("method") or "get").lower() == method:
            found[(form.get("action") or path).split("?")[0]].append(form)
    return found


def _fields(forms) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """What the page's forms send back unchanged, each choice's first offered value, and the names
    of the boxes people type into."""
    kept, choices, typed = {}, {}, set()
    for form in forms:
        for field in form.find_all(["input", "textarea", "select"]):
            name = field.get("name")
            if not name:
                continue
            kind = field.get("type", "text") if field.name == "input" else field.name
            if name in KEPT or kind == "hidden":
                kept.setdefault(name, field.get("value", ""))
            elif kind in ("radio", "checkbox"):
                choices.setdefault(name, field.get("value", "y"))
            elif kind == "select":
                options = [o.get("value", "") for o in field.find_all("option") if o.get("value")]
                choices.setdefault(name, options[0] if options else "")
            elif kind != "submit":
                typed.add(name)
    return kept, choices, typed


def _submissions(kept: dict, choices: dict, typed: set) -> list[dict]:
    """The hostile versions of one form: typed boxes carrying junk with valid choices (so the
    junk reaches what the form does), then everything tampered with, choices and hidden fields
    too. Each copy has a one-time token of its own, so none is turned away as sent twice."""
    names = typed | set(COMMON_FORM_NAMES)
    everything = names | set(choices) | {name for name in kept if name not in KEPT}

    def base():
        return {**kept, "submission_token": secrets.token_urlsafe(24)}

    return [
        {**base(), **choices, **dict.fromkeys(names, NUL_TEXT)},
        {**base(), **choices, **dict.fromkeys(names, LAST_DAY)},
        {**base(), **dict.fromkeys(everything, HUGE)},
    ]


def _queries(filters: list) -> list[dict]:
    """Query strings: every name read outside a form at once (each is read on its own, so one
    bad value cannot hide another), then each field of the page's own filter forms alone (a
    filter form is checked as a whole, so there one bad value could hide another)."""
    queries = [
        {
            **dict.fromkeys(QUERY_WORDS, NUL_TEXT),
            **dict.fromkeys(QUERY_NUMBERS, HUGE),
            **dict.fromkeys(DATE_NAMES, LAST_DAY),
        }
    ]
    _kept, _choices, typed = _fields(filters)
    for name in sorted(typed | {"q", "search", "username"} if filters else typed):
        queries.extend({name: bad} for bad in (NUL_TEXT, HUGE, LAST_DAY))
    return queries


def _token(client) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/sign-in").text)
    if match:
        return match.group(1)
    for path in ("/", "/cases/", "/admin/users"):
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path, follow_redirects=True).text)
        if match:
            return match.group(1)
    raise AssertionError("no page carries a CSRF token")


def _by_role(app) -> dict[Role | None, list]:
    rules = app.extensions["casework.route_rules"]
    walk = defaultdict(list)
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        walk[_role_for(rules[rule.endpoint])].append(rule)
    return walk


def test_no_hostile_request_reaches_a_server_error(app, session, team):
    users, values, values_for = _walk_world(session, team)
    failures, sent = [], 0

    def send(client, method: str, url: str, data: dict | None = None):
        nonlocal sent
        sent += 1
        response = client.open(url, method=method, data=data)
        if response.status_code >= 500:
            shown = {k: v for k, v in (data or {}).items() if k not in KEPT}
            failures.append(f"{method} {url} {shown or ''} -> {response.status_code}")
        return response

    walk = _by_role(app)
    turn = itertools.count()
    clients = {}
    for role in walk:
        clients[role] = app.test_client()
        if role is not None:
            sign_in_quickly(clients[role], session, users[role])

    # First every page, as it is and then with a hostile address and query string; each page's
    # forms are kept by where they post, for the second pass (a form often posts elsewhere).
    posted_from = defaultdict(list)
    for role, rules in walk.items():
        client = clients[role]
        for rule in sorted(rules, key=lambda r: r.rule):
            shown = values_for.get(rule.endpoint, values)
            method = "GET" if "GET" in rule.methods else "POST"
            for url in _addresses(rule.rule, shown, turn):
                send(client, method, url, {"csrf_token": ""} if method == "POST" else None)
            if method != "GET":
                continue
            path = _fill(rule.rule, shown)
            # A document (a PDF, a calendar file) has no forms: only its hostile queries are sent.
            html = "" if path.endswith(DOCUMENTS) else send(client, "GET", path).text
            for action, forms in _forms(html, "post", path).items():
                posted_from[action].extend(forms)
            filters = [form for forms in _forms(html, "get", path).values() for form in forms]
            for query in _queries(filters):
                send(client, "GET", f"{path}?{urlencode(query)}")

    # Then every form, posted with hostile values by a role that may send it.
    for role, rules in walk.items():
        client = clients[role]
        token = _token(client)
        for rule in sorted(rules, key=lambda r: r.rule):
            if "POST" not in rule.methods:
                continue
            path = _fill(rule.rule, values_for.get(rule.endpoint, values))
            kept, choices, typed = _fields(posted_from.get(path, []))
            for data in _submissions({**kept, "csrf_token": token}, choices, typed):
                send(client, "POST", path, data)
            if rule.endpoint == "auth.sign_out" and role is not None:
                sign_in_quickly(client, session, users[role])
                token = _token(client)

    assert sent > 500, sent  # the walk really sent its requests
    assert not failures, "\n".join(failures)
