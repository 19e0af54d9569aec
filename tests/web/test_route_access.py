"""Every registered route, for every role, for anonymous visitors and for another team.

A route that declares no rule fails here (and is refused at run time), so a new page cannot go
live without someone deciding who may use it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from casework.domain.lifecycle import CaseState
from casework.domain.roles import PERMISSIONS, Role
from casework.models import CheckIn, PartnerService, Referral
from casework.services import audit
from tests.conftest import NOW, make_case, make_user, sign_in_quickly

ANONYMOUS = "anonymous"


def _endpoints(app) -> list[tuple[str, str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        routes.append((rule.endpoint, rule.rule, method))
    return sorted(routes)


def test_every_route_declares_who_may_use_it(app):
    rules = app.extensions["casework.route_rules"]
    undeclared = [endpoint for endpoint, _, _ in _endpoints(app) if endpoint not in rules]
    assert not undeclared, f"declare @public, @signed_in or @requires(...) on: {undeclared}"


def _allowed(rule, role) -> bool:
    if rule.public:
        return True
    if role == ANONYMOUS:
        return False
    return rule.action is None or role in PERMISSIONS[rule.action]


@pytest.fixture
def world(session, team, other_team):
    """One user per role in our team, a target account and an audit event in each team."""
    users = {role: make_user(session, roles=[role], team=team) for role in Role}
    target = make_user(session, roles=[Role.NAVIGATOR], team=team)
    stranger = make_user(session, roles=[Role.NAVIGATOR], team=other_team)
    ours = audit.record(session, actor=target, action="test.viewed", now=NOW)
    theirs = audit.record(session, actor=stranger, action="test.viewed", now=NOW)
    our_case = make_case(session, team=team, state=CaseState.PENDING_ACCEPTANCE)
    their_case = make_case(session, team=other_team, state=CaseState.PENDING_ACCEPTANCE)
    services = {
        t.id: PartnerService(
            team_id=t.id, name="Recovery hub", pathway="drugs", phone="0191 000 0000", data_accepted="Name and phone"
        )
        for t in (team, other_team)
    }
    session.add_all(services.values())
    session.flush()
    referrals = {
        c.id: Referral(
            case_id=c.id,
            partner_service_id=services[c.team_id].id,
            need_domain="drugs",
            sent_on=NOW.date(),
            method="phone",
            data_shared=["name"],
            consent_recorded=True,
            status="sent",
            created_by_id=target.id,
            created_at=NOW,
        )
        for c in (our_case, their_case)
    }
    session.add_all(referrals.values())
    check_ins = {
        c.id: CheckIn(
            case_id=c.id,
            scheduled_at=NOW + timedelta(days=2),
            mode="in_person",
            place="Hub",
            source="added",
            created_at=NOW,
        )
        for c in (our_case, their_case)
    }
    session.add_all(check_ins.values())
    session.commit()
    return {
        "users": users,
        "target": target,
        "stranger": stranger,
        "ours": ours,
        "theirs": theirs,
        "our_case": our_case,
        "their_case": their_case,
        "services": services,
        "referrals": referrals,
        "check_ins": check_ins,
        "team": team,
        "other_team": other_team,
    }


def _url(path: str, world, *, foreign: bool = False) -> str:
    values = {
        "user_id": (world["stranger"] if foreign else world["target"]).id,
        "sequence": (world["theirs"] if foreign else world["ours"]).sequence,
        "token": "not-a-real-token",
        "section": "identity",
        "offence_id": 1,
        "stage": "entry",
        "domain": "drugs",
        "service_id": world["services"][(world["other_team"] if foreign else world["team"]).id].id,
        "condition_id": 1,
        "follow_up_id": 1,
        "version_number": 1,
        "referral_id": world["referrals"][(world["their_case"] if foreign else world["our_case"]).id].id,
        "case_id": (world["their_case"] if foreign else world["our_case"]).id,
        "check_in_id": world["check_ins"][(world["their_case"] if foreign else world["our_case"]).id].id,
        "person_id": (world["their_case"] if foreign else world["our_case"]).person_id,
        "breach_id": 1,
        "warning_id": 1,
        "key": "funnel",
        "table": "stages",
        # No sample exists here: a team's own is a 404 like another's (tests/web/test_panel_sample_pages.py
        # checks the refusals with real samples).
        "sample_id": 1,
        "position": 1,
    }

    def fill(match):
        name = match.group(1).split(":")[-1]
        assert name in values, f"the access test does not know how to build <{name}>; add it to _url()"
        return str(values[name])

    return re.sub(r"<([^>]+)>", fill, path)


def _token(client) -> str:
    page = client.get("/", follow_redirects=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    return match.group(1) if match else ""


def _request(client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": _token(client), "version": "1"})


@pytest.mark.parametrize("role", [ANONYMOUS, *Role])
def test_role_matrix(app, client, session, world, role):
    rules = app.extensions["casework.route_rules"]
    if role != ANONYMOUS:
        sign_in_quickly(client, session, world["users"][role])
    wrong = []
    for endpoint, path, method in _endpoints(app):
        rule = rules[endpoint]
        response = _request(client, method, _url(path, world))
        refused_to_sign_in = response.status_code == 302 and "/sign-in" in response.headers["Location"]
        if response.status_code >= 500:
            wrong.append(f"{method} {path}: {role} got a server error")
        if _allowed(rule, role):
            if response.status_code == 403 or (refused_to_sign_in and endpoint != "auth.sign_out"):
                wrong.append(f"{method} {path}: refused ({response.status_code}) but {role} may use it")
        elif role == ANONYMOUS:
            if not refused_to_sign_in:
                wrong.append(f"{method} {path}: anonymous got {response.status_code}, expected sign-in redirect")
        elif response.status_code != 403:
            wrong.append(f"{method} {path}: {role} got {response.status_code}, expected 403")
        if endpoint == "auth.sign_out" and role != ANONYMOUS:
            sign_in_quickly(client, session, world["users"][role])
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.NAVIGATOR, Role.CUSTODY_SERGEANT])
def test_team_scoped_routes_refuse_another_teams_objects(app, client, session, world, role):
    rules = app.extensions["casework.route_rules"]
    sign_in_quickly(client, session, world["users"][role])
    scoped = [(e, p, m) for e, p, m in _endpoints(app) if rules[e].team_scoped and _allowed(rules[e], role)]
    assert scoped, "expected at least one team-scoped route"
    for _endpoint, path, method in scoped:
        assert _request(client, method, _url(path, world)).status_code != 403, path
        assert _request(client, method, _url(path, world, foreign=True)).status_code == 404, path


def test_administrators_reach_every_team_but_no_casework(app, client, session, world):
    sign_in_quickly(client, session, world["users"][Role.ADMINISTRATOR])
    assert client.get(_url("/audit/<int:sequence>", world, foreign=True)).status_code == 200
    assert client.get(f"/admin/users/{world['stranger'].id}").status_code == 200
    assert client.get("/navigator").status_code == 403
    assert client.get("/custody").status_code == 403
    for path in ("/today/", "/today/team", "/calendar-feed", f"/cases/{world['our_case'].id}/check-ins.ics"):
        assert client.get(path).status_code == 403, path


def test_the_only_public_routes_are_known_and_the_calendar_feed_needs_its_token(app, client):
    """A calendar app cannot sign in, so its feed is public: the token in the address is the key."""
    rules = app.extensions["casework.route_rules"]
    public = {endpoint for endpoint, rule in rules.items() if rule.public}
    assert "calendar.feed" in public
    assert {e for e in public if e.startswith(("cases.", "today.", "contract.", "custody."))} == set()
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
