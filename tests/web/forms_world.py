"""A team with a case at each step that has a form, for tests that walk the forms' pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bs4 import BeautifulSoup

from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
from casework.domain.gate_questions import SECTIONS
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Case, Team, User
from casework.services import check_in_outcomes, check_ins, contract_signing, contracts, referrals
from casework.services.referrals import ServiceDetails
from tests.conftest import NOW, make_case, make_user
from tests.services.test_contract_signing import _agree_and_sign, _draft

DUE = NOW.date() + timedelta(days=30)  # by when a test condition is due: inside any term


@dataclass
class World:
    sergeant: User
    navigator: User
    supervisor: User
    admin: User
    draft: Case  # the custody sergeant is filling in the eligibility check
    referred: Case  # waiting for first contact
    drafting: Case  # contract drafted and agreed, ready to sign
    active: Case  # contract signed
    hours_condition_id: int
    # The active case's check-ins: one booked, one started with nothing recorded, one missed.
    booked_check_in_id: int = 0
    started_check_in_id: int = 0
    missed_check_in_id: int = 0


def build(session, team: Team) -> World:
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    admin = make_user(session, roles=[Role.ADMINISTRATOR], team=team)
    draft = make_case(
        session,
        team=team,
        state=CaseState.ELIGIBILITY_DRAFT,
        opened_by=sergeant,
        crime_reference=None,
        offence_first_on=None,
        offence_last_on=None,
    )
    referred = make_case(session, team=team, navigator_id=navigator.id)
    referrals.add_service(
        session,
        actor=supervisor,
        details=ServiceDetails(
            name="Durham Recovery Hub", pathway="drugs", phone="0191 555 0111", data_accepted="Name and phone"
        ),
        now=NOW,
    )
    drafting, contract = _draft(session, team, navigator)
    contract_signing.record_agreement(
        session, actor=navigator, case=drafting, agreement="agrees", reason="", seen_version=contract.version, now=NOW
    )
    active, signed = _draft(session, team, navigator)
    contracts.add_condition(
        session,
        actor=navigator,
        case=active,
        seen_version=signed.version,
        now=NOW,
        condition=DraftCondition(ConditionType.COMMUNITY, "Volunteer at the food bank", CompletionRule.HOURS, 20, DUE),
    )
    hours = signed.conditions[-1].id
    _agree_and_sign(session, navigator, active, signed)
    booked, started, missed = check_ins.for_case(session, case=active)[:3]
    started.scheduled_at, missed.scheduled_at = NOW - timedelta(hours=1), NOW - timedelta(days=2)
    session.flush()
    check_in_outcomes.mark_missed(session, now=NOW)
    session.commit()
    return World(
        sergeant,
        navigator,
        supervisor,
        admin,
        draft,
        referred,
        drafting,
        active,
        hours,
        booked.id,
        started.id,
        missed.id,
    )


def pages(world: World) -> dict[User, list[str]]:
    """Every page with a form, by who may open it."""
    draft, referred = world.draft.id, world.referred.id
    return {
        world.sergeant: [
            "/custody/people/new",
            f"/custody/cases/{draft}/custody-details",
            *[f"/custody/cases/{draft}/checklist/{section.slug}" for section in SECTIONS],
            f"/custody/cases/{draft}/offer/accepted",
            f"/custody/cases/{draft}/offer/declined",
            f"/custody/cases/{draft}/offer/not-offered",
        ],
        world.navigator: [
            f"/cases/{referred}/first-contact",
            f"/cases/{world.drafting.id}/assessment/entry",
            f"/cases/{world.drafting.id}/referrals/new",
            f"/cases/{world.drafting.id}/contract/",
            f"/cases/{world.drafting.id}/contract/sign",
            f"/cases/{world.active.id}/contract/conditions/{world.hours_condition_id}/progress",
            f"/cases/{world.active.id}/check-ins/new",
            f"/cases/{world.active.id}/check-ins/{world.booked_check_in_id}/move",
            f"/cases/{world.active.id}/check-ins/{world.booked_check_in_id}/cancel",
            f"/cases/{world.active.id}/check-ins/{world.started_check_in_id}/outcome",
            f"/cases/{world.active.id}/check-ins/{world.missed_check_in_id}/classify",
        ],
        world.supervisor: [f"/cases/{referred}/allocate", "/directory/new"],
        world.admin: ["/admin/users/new", "/admin/scheme/change", "/admin/offences/new", "/audit/"],
    }


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def summary(response) -> dict[str, str]:
    """The error summary as the user reads it: the field it links to, and the message."""
    return {
        link["href"].removeprefix("#"): link.get_text(" ", strip=True)
        for link in soup(response).select(".govuk-error-summary__list a")
    }


def post_empty(client, path: str, *, action: str | None = None, **data):
    """Submit a form on `path` as a browser would if the user typed and chose nothing (a box the
    page already filled in keeps its value), with `data` on top. `action` picks one of several
    forms by the end of its action."""
    page = soup(client.get(path))
    forms = page.select("main form[method=post]")
    form = next(f for f in forms if action is None or (f.get("action") or path).endswith(action))
    sent: dict[str, object] = {}
    for tag in form.select("input"):
        kind = tag.get("type", "text")
        if kind in ("radio", "checkbox"):
            if tag.has_attr("checked"):
                sent.setdefault(tag["name"], []).append(tag.get("value", "y"))
        elif kind not in ("submit", "button") and tag.get("name"):
            sent[tag["name"]] = tag.get("value", "")
    for tag in form.select("textarea"):
        sent[tag["name"]] = tag.get_text()
    for tag in form.select("select"):
        chosen = tag.select_one("option[selected]") or tag.select_one("option")
        sent[tag["name"]] = chosen.get("value", chosen.get_text()) if chosen else ""
    return client.post(form.get("action") or path, data={**sent, **data})
