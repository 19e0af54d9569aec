"""Case pages as each role sees them: the full record, the status-only view, notes, allocation."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import event, select

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, Case, PendingConsultation
from tests.audit_queue import chain_queued_views
from tests.conftest import csrf_token, hidden_fields, make_case, make_person, make_user, sign_in_quickly


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def test_viewing_a_case_is_recorded_as_a_consultation(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, navigator)
    page = _soup(client.get(f"/cases/{case.id}"))
    assert case.reference in page.get_text() and case.person.full_name in page.h1.get_text()
    queued = session.scalars(select(PendingConsultation)).all()
    assert [(q.case_id, q.actor_id, q.detail["scope"]) for q in queued] == [(case.id, navigator.id, "full")]
    assert chain_queued_views(session) == 1
    viewed = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.viewed")).all()
    assert [(e.case_id, e.actor_id, e.detail["scope"]) for e in viewed] == [(case.id, navigator.id, "full")]


def test_custody_staff_see_only_that_the_case_exists_and_its_status(client, session, team):
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    case = make_case(session, team=team, state=CaseState.ACTIVE)
    session.commit()
    sign_in_quickly(client, session, sergeant)
    page = _soup(client.get(f"/cases/{case.id}"))
    text = page.get_text(" ")
    assert "Active" in text and case.person.full_name in text
    assert case.person.address_line_1 not in text and "Case notes" not in text


def test_another_teams_case_is_refused_and_not_recorded_as_viewed(client, session, team, other_team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=other_team)
    session.commit()
    sign_in_quickly(client, session, navigator)
    assert client.get(f"/cases/{case.id}").status_code == 404  # as if there were no such case
    assert not session.scalars(select(AuditEvent).where(AuditEvent.action == "case.viewed")).all()
    assert not session.scalars(select(PendingConsultation)).all()


def test_a_long_note_is_saved_and_shown_and_an_empty_one_is_refused_by_the_field(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, navigator)
    form = hidden_fields(client, f"/cases/{case.id}/notes", "/notes")
    refused = client.post(f"/cases/{case.id}/notes", data={**form, "body": "   "})
    assert refused.status_code == 400
    assert "Enter the note" in _soup(refused).select_one("#body-error").get_text()
    assert _soup(refused).title.get_text().startswith("Error: Notes \N{EN DASH} case ")
    summary = _soup(refused).select_one(".govuk-error-summary a[href='#body']")
    assert summary is not None and "Enter the note" in summary.get_text()
    body = "Attended the hub and talked about housing. " * 250
    saved = client.post(f"/cases/{case.id}/notes", data={**form, "body": body})
    assert saved.headers["Location"] == f"/cases/{case.id}/notes"
    page = _soup(client.get(f"/cases/{case.id}/notes"))
    assert body.strip() in page.select_one(".app-note").get_text()
    timeline = _soup(client.get(f"/cases/{case.id}/timeline"))
    assert "Case note added" in timeline.select_one(".moj-timeline").get_text()


def test_supervisor_allocates_from_the_case_page_and_sees_caseload_counts(client, session, team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    make_case(session, team=team, navigator_id=navigator.id)
    case = make_case(session, team=team)
    session.commit()
    sign_in_quickly(client, session, supervisor)
    form = _soup(client.get(f"/cases/{case.id}/allocate"))
    option = form.find("option", string=lambda text: text and navigator.full_name in text)
    assert "(1 open case)" in option.get_text()
    token = form.select_one("input[name=csrf_token]")["value"]
    response = client.post(
        f"/cases/{case.id}/allocate", data={"csrf_token": token, "navigator_id": navigator.id, "version": case.version}
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Case, case.id).navigator_id == navigator.id


def test_a_stale_allocation_form_says_who_holds_the_case_now(app, client, session, team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    first, second = (make_user(session, roles=[Role.NAVIGATOR], team=team) for _ in range(2))
    case = make_case(session, team=team)
    session.commit()
    sign_in_quickly(client, session, supervisor)
    other = app.test_client()
    sign_in_quickly(other, session, make_user(session, roles=[Role.SUPERVISOR], team=team))
    token, other_token = (
        csrf_token(client, f"/cases/{case.id}/allocate"),
        csrf_token(other, f"/cases/{case.id}/allocate"),
    )
    client.post(f"/cases/{case.id}/allocate", data={"csrf_token": token, "navigator_id": first.id, "version": 1})
    page = other.post(
        f"/cases/{case.id}/allocate", data={"csrf_token": other_token, "navigator_id": second.id, "version": 1}
    )
    assert f"allocated to {first.full_name}" in _soup(page).select_one("#navigator_id-error").get_text()
    session.expire_all()
    assert session.get(Case, case.id).navigator_id == first.id


def _statements(connection, action) -> int:
    """Counted on the test's connection: every request's session runs on it (tests/conftest.py)."""
    counted = []
    listener = lambda *_: counted.append(1)  # noqa: E731
    event.listen(connection, "before_cursor_execute", listener)
    try:
        action()
    finally:
        event.remove(connection, "before_cursor_execute", listener)
    return len(counted)


def test_the_caseload_page_runs_the_same_number_of_queries_for_10_and_100_cases(app, client, session, connection, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    creator = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    for _ in range(10):
        make_case(
            session,
            team=team,
            navigator_id=navigator.id,
            opened_by=creator,
            person=make_person(session, creator=creator),
        )
    session.commit()
    sign_in_quickly(client, session, navigator)
    client.get("/navigator")  # warm-up: the session touch and caches

    def load():
        assert client.get("/cases/?tab=team&sort=name").status_code == 200

    ten = _statements(connection, load)
    for _ in range(90):
        make_case(
            session,
            team=team,
            navigator_id=navigator.id,
            opened_by=creator,
            person=make_person(session, creator=creator),
        )
    session.commit()
    hundred = _statements(connection, load)
    assert ten == hundred > 0


def test_downloading_the_offer_sheet_is_an_audited_disclosure_of_those_exact_bytes(client, session, team):
    import hashlib

    from casework.models import CaseOffence, Offence

    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    case = make_case(session, team=team, opened_by=sergeant)
    session.add(CaseOffence(case_id=case.id, offence_id=session.scalar(select(Offence.id).limit(1))))
    session.commit()
    sign_in_quickly(client, session, sergeant)
    response = client.get(f"/custody/cases/{case.id}/offer-sheet.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Cache-Control"] == "no-store"
    event_row = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.offer_sheet_downloaded")).one()
    assert event_row.detail["sha256"] == hashlib.sha256(response.data).hexdigest()
    assert event_row.detail["recipient"] == "the person"


def test_there_is_no_offer_sheet_before_consent(client, session, team):
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    case = make_case(session, team=team, state=CaseState.ELIGIBILITY_DRAFT, opened_by=sergeant)
    session.commit()
    sign_in_quickly(client, session, sergeant)
    assert client.get(f"/custody/cases/{case.id}/offer-sheet.pdf").status_code == 404


def test_the_case_page_warns_when_first_contact_is_overdue(client, session, team):
    from datetime import timedelta

    from tests.conftest import NOW

    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    late = make_case(session, team=team, referred_at=NOW - timedelta(days=30))
    session.commit()
    sign_in_quickly(client, session, navigator)
    assert "First contact is overdue" in client.get(f"/cases/{late.id}").text


def test_the_caseload_search_finds_someone_by_their_first_name_alone(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    wanted = make_case(
        session,
        team=team,
        navigator_id=navigator.id,
        person=make_person(session, creator=navigator, given_names="Rowan", family_name="Ashby"),
    )
    other = make_case(
        session,
        team=team,
        navigator_id=navigator.id,
        person=make_person(session, creator=navigator, given_names="Casey", family_name="Rowe"),
    )
    session.commit()
    sign_in_quickly(client, session, navigator)
    expected = {
        "rowan": {wanted.reference},
        "ROW": {wanted.reference, other.reference},
        "Rowan Ashby": {wanted.reference},
    }
    for text, references in expected.items():
        page = _soup(client.get("/cases/", query_string={"tab": "team", "search": text}))
        assert {a.get_text(strip=True) for a in page.select("tbody tr td:first-child a")} == references, text
        assert page.select_one("input#search")["value"] == text


def test_acceptance_and_allocation_pages_show_the_case_being_decided(client, session, team):
    from datetime import date, timedelta

    from casework.models import CaseOffence, Offence
    from tests.conftest import NOW

    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    offence = session.scalars(select(Offence).order_by(Offence.title).limit(1)).one()
    waiting = make_case(
        session,
        team=team,
        state=CaseState.PENDING_ACCEPTANCE,
        opened_by=sergeant,
        custody_suite="Durham City",
        custody_record_number="CR 2044",
        arrested_at=NOW - timedelta(days=1),
        offence_first_on=date(2026, 11, 20),
        offence_last_on=date(2026, 11, 20),
        override_rationale="First offence in years; the victim supports a diversion.",
        overridden_by_id=sergeant.id,
        latest_charge_on=date(2027, 5, 19),
        decision_deadline_on=date(2027, 4, 28),
    )
    session.add(CaseOffence(case_id=waiting.id, offence_id=offence.id))
    unallocated = make_case(session, team=team, opened_by=sergeant)
    make_case(session, team=team, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, supervisor)
    acceptance = _soup(client.get(f"/cases/{waiting.id}/acceptance")).select_one("main").get_text(" ", strip=True)
    for fact in [
        waiting.person.full_name,
        f"{waiting.person.date_of_birth.day} {waiting.person.date_of_birth:%B %Y}",
        offence.title,
        "on 20 November 2026",
        waiting.crime_reference,
        "Durham City, record CR 2044",
        "Eligibility overridden by the custody sergeant: First offence in years",
        "Decision deadline 28 April 2027",
        "Latest charge date 19 May 2027",
        f"by {sergeant.full_name}",
    ]:
        assert fact in acceptance, fact
    allocate = _soup(client.get(f"/cases/{unallocated.id}/allocate"))
    text = allocate.select_one("main").get_text(" ", strip=True)
    assert unallocated.person.postcode in text and f"by {sergeant.full_name}" in text
    option = allocate.find("option", string=lambda t: t and navigator.full_name in t)
    assert "(1 open case)" in option.get_text()


def test_every_caseload_tab_has_its_own_title_and_my_cases_has_no_navigator_column(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    make_case(session, team=team, navigator_id=navigator.id)
    make_case(session, team=team, state=CaseState.COMPLETED, navigator_id=navigator.id)
    make_case(session, team=team)
    session.commit()
    sign_in_quickly(client, session, navigator)
    titles, columns = {}, {}
    for tab in ("mine", "unassigned", "team", "closed"):
        page = _soup(client.get(f"/navigator?tab={tab}"))
        titles[tab] = page.title.get_text(strip=True).split(" \N{EN DASH} ")[:2]
        columns[tab] = [th.get_text(strip=True) for th in page.select("thead th")]
    assert titles == {
        "mine": ["My cases", "My caseload"],
        "unassigned": ["Unassigned", "My caseload"],
        "team": ["All open cases", "My caseload"],
        "closed": ["Closed", "My caseload"],
    }
    assert "Navigator" not in columns["mine"] and "Name" in columns["mine"]
    assert all("Navigator" in columns[tab] for tab in ("unassigned", "team", "closed"))
