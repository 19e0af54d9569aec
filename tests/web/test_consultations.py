"""Every page that shows a person's case records a consultation (DPA 2018 s.62; DOMAIN.md §9).

The test walks the app's URL map: every GET route that takes a case id is requested by a signed-in
user allowed to see it, and must write a "case.viewed" event naming its page (a PDF or calendar file
download writes its disclosure instead). A new page that forgets fails here.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain.gate_questions import SECTIONS
from casework.domain.lifecycle import CaseState
from casework.domain.roles import PERMISSIONS, Role
from casework.models import (
    AuditEvent,
    Breach,
    BreachWarning,
    CaseOffence,
    CaseOutcome,
    CheckIn,
    FollowUp,
    Offence,
    PartnerService,
    Referral,
)
from casework.services import audit
from tests.audit_queue import chain_queued_views
from tests.conftest import NOW, hidden_fields, make_assessment, make_case, make_contract, make_user, sign_in_quickly

ROLES_IN_TURN = (Role.NAVIGATOR, Role.SUPERVISOR, Role.CUSTODY_SERGEANT)


def _case_pages(app) -> list[tuple[str, str]]:
    return sorted(
        (rule.endpoint, rule.rule)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and "case_id" in rule.arguments
    )


def _world(session, team):
    users = {role: make_user(session, roles=[role], team=team) for role in ROLES_IN_TURN}
    navigator = users[Role.NAVIGATOR]
    case = make_case(session, team=team, state=CaseState.ACTIVE, navigator_id=navigator.id)
    session.add(CaseOffence(case_id=case.id, offence_id=session.scalar(select(Offence.id).limit(1))))
    make_assessment(session, case=case, stage="entry", by=navigator)
    make_assessment(session, case=case, stage="midpoint", by=navigator, completed=False)  # its pages are open
    contract = make_contract(
        session,
        case=case,
        created_by=navigator,
        starts_on=NOW.date() - timedelta(days=10),
        signing_place="Navigator office",
        signing_language="en",
        interpreter_present=False,
        appropriate_adult_present=False,
        solicitor_present=False,
        person_signature="wet_ink",
        copy_given="paper",
    )
    # A variation, agreed and approved, so its pages (changing a condition, signing) can be shown too.
    variation = make_contract(
        session,
        case=case,
        created_by=navigator,
        status="draft",
        version_number=2,
        agreement="agrees",
        approved_at=NOW,
        approved_by_id=users[Role.SUPERVISOR].id,
        variation_reason="The course moved",
        planned_ends_on=contract.ends_on,
    )
    service = PartnerService(
        team_id=team.id, name="Recovery hub", pathway="drugs", phone="0191 000 0000", data_accepted="Name"
    )
    session.add(service)
    session.flush()
    referral = Referral(
        case_id=case.id,
        partner_service_id=service.id,
        need_domain="drugs",
        sent_on=NOW.date(),
        method="phone",
        data_shared=["name"],
        consent_recorded=True,
        status="sent",
        created_by_id=navigator.id,
        created_at=NOW,
    )
    session.add(referral)
    booked, started, missed = (
        _check_in(session, case, NOW + timedelta(days=2)),
        _check_in(session, case, NOW - timedelta(hours=1)),
        _check_in(session, case, NOW - timedelta(days=3), missed=True),
    )
    follow_up = FollowUp(
        case_id=case.id,
        navigator_id=navigator.id,
        what="Confirm the course place",
        due_on=NOW.date(),
        set_by_id=users[Role.SUPERVISOR].id,
        set_at=NOW,
    )
    session.add(follow_up)
    # A first missed check-in still open (its warning and referral pages), and an earlier one warned.
    open_breach, warned = (
        Breach(
            case_id=case.id,
            kind="unacceptable_absence",
            status=status,
            occurred_on=NOW.date() - timedelta(days=days),
            summary="Did not come to the check-in",
            raised_at=NOW - timedelta(days=days),
            contract_id=contract.id,
            evidence={},
        )
        for status, days in (("open", 3), ("warned", 20))
    )
    session.add_all([open_breach, warned])
    session.flush()
    warning = BreachWarning(
        case_id=case.id,
        breach_id=warned.id,
        level="formal",
        reason="Missed a check-in without a reason",
        issued_by_id=navigator.id,
        issued_at=NOW - timedelta(days=19),
        language="en",
    )
    session.add(warning)
    # Cases that have ended, for the pages of an outcome: a charge (its letter, the force-system
    # confirmation) and a completion (its letter).
    charged, completed = (
        make_case(session, team=team, state=state, navigator_id=navigator.id)
        for state in (CaseState.CLOSED_CHARGED, CaseState.COMPLETED)
    )
    make_contract(
        session, case=completed, created_by=navigator, starts_on=NOW.date() - timedelta(days=130), signing_language="en"
    )
    for ended, route, code in ((charged, "charged", 1), (completed, "completion", 22)):
        session.add(
            CaseOutcome(
                case_id=ended.id,
                route=route,
                code=code,
                rationale="Recorded for the test",
                decided_by_id=users[Role.SUPERVISOR].id,
                decided_at=NOW,
                effective_on=NOW.date(),
                charge_wording="Possession of a controlled drug of class B" if route == "charged" else None,
                charged_on=NOW.date() if route == "charged" else None,
            )
        )
    session.commit()
    values = {
        "follow_up_id": follow_up.id,
        "breach_id": open_breach.id,
        "warning_id": warning.id,
        "check_in_id": booked.id,
        "case_id": case.id,
        "condition_id": contract.conditions[-1].id,
        "version_number": contract.version_number,
        "referral_id": referral.id,
        "stage": "midpoint",
        "section": SECTIONS[0].slug,
        "domain": "drugs",
    }
    values_for = {
        "contract.edit_condition": {**values, "condition_id": variation.conditions[-1].id},
        # Each check-in page opens only in the state its action needs.
        "check_ins.outcome": {**values, "check_in_id": started.id},
        "check_ins.classify": {**values, "check_in_id": missed.id},
        "prosecution.decision_letter_pdf": {**values, "case_id": charged.id},
        "prosecution.force_record": {**values, "case_id": charged.id},
        "completion.letter": {**values, "case_id": completed.id},
    }
    return users, case, values, values_for


def _check_in(session, case, at, *, missed: bool = False) -> CheckIn:
    check_in = CheckIn(
        case_id=case.id,
        scheduled_at=at,
        mode="in_person",
        place="Hub",
        source="added",
        created_at=NOW - timedelta(days=7),
    )
    if missed:
        check_in.outcome, check_in.outcome_recorded_at = "pending_explanation", NOW
        check_in.explanation_due_on = NOW.date() + timedelta(days=1)
    session.add(check_in)
    session.flush()
    return check_in


def _url(path: str, values: dict) -> str:
    def fill(match):
        name = match.group(1).split(":")[-1]
        assert name in values, f"this test does not know how to build <{name}>; add it to _world()"
        return str(values[name])

    return re.sub(r"<([^>]+)>", fill, path)


def test_every_page_showing_a_case_records_a_consultation(app, client, session, team):
    users, _case, values, values_for = _world(session, team)
    rules = app.extensions["casework.route_rules"]
    pages = _case_pages(app)
    assert len(pages) >= 20, pages  # the walk really covers the case pages
    missing, titles = [], {}
    for endpoint, path in pages:
        action = rules[endpoint].action
        role = next(r for r in ROLES_IN_TURN if action is None or r in PERMISSIONS[action])
        sign_in_quickly(client, session, users[role])
        before = session.scalar(select(AuditEvent.sequence).order_by(AuditEvent.sequence.desc()).limit(1))
        shown = values_for.get(endpoint, values)
        response = client.get(_url(path, shown))
        if response.status_code != 200:
            missing.append(f"{endpoint}: {response.status_code} for a {role.label.lower()}")
            continue
        chain_queued_views(session)
        written = session.scalars(
            select(AuditEvent).where(AuditEvent.sequence > before, AuditEvent.case_id == shown["case_id"])
        ).all()
        if response.mimetype in ("application/pdf", "text/calendar"):
            recorded = [e for e in written if e.action in audit.CONSULTATIONS and e.actor_id == users[role].id]
        else:
            recorded = [e for e in written if e.action == "case.viewed" and e.detail.get("page") == endpoint]
            titles[endpoint] = BeautifulSoup(response.text, "html.parser").title.get_text(strip=True)
        if not recorded:
            missing.append(f"{endpoint} ({path}) records no consultation")
    assert not missing, "\n".join(missing)
    shared = {
        title: [e for e, t in titles.items() if t == title] for title, n in Counter(titles.values()).items() if n > 1
    }
    assert not shared, f"pages that share a title: {shared}"


def test_a_refused_form_shown_again_is_a_view_and_a_redirect_is_not(client, session, team):
    users, case, *_ = _world(session, team)
    sign_in_quickly(client, session, users[Role.NAVIGATOR])
    form = hidden_fields(client, f"/cases/{case.id}/notes", "/notes")

    def views():
        chain_queued_views(session)
        return session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "case.viewed", AuditEvent.case_id == case.id)
        ).all()

    before = len(views())
    assert client.post(f"/cases/{case.id}/notes", data={**form, "body": " "}).status_code == 400
    assert views()[before:] == [{"page": "cases.add_note", "scope": "full"}]
    assert client.post(f"/cases/{case.id}/notes", data={**form, "body": "Seen."}).status_code == 302
    assert len(views()) == before + 1  # the change has its own audit event; the next page records its view
