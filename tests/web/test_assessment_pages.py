"""First contact and the needs assessment journey through the pages: start, task list, a page per
domain, the safeguarding flags, check your answers and completion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain import needs
from casework.domain.clock import local
from casework.domain.lifecycle import CaseState
from casework.domain.needs import NEED_DOMAINS, DomainInput
from casework.domain.roles import Role
from casework.models import AuditEvent, Case
from casework.services import assessment, assessment_journey
from tests.assessments import record_whole_assessment
from tests.audit_queue import chain_queued_views
from tests.conftest import NOW, csrf_token, make_case, make_contract, make_user, sign_in_quickly
from tests.form_posts import as_shown, shown_fields

BLANK_DOMAIN = {"person_priority": "", "strengths": "", "notes": ""}  # the boxes a browser sends empty


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _post(client, path: str, data: dict):
    """Submit a page's form with the version the page itself carries, as a browser would."""
    page = _soup(client.get(path))
    values = {k: v for form in page.select("form[method=post]") for k, v in as_shown(form).items()}
    return client.post(path, data={**values, **data})


def _statuses(page: BeautifulSoup) -> dict[str, str]:
    return {
        item.select_one(".govuk-task-list__name-and-hint > a, .govuk-task-list__name-and-hint > div").get_text(
            " ", strip=True
        ): item.select_one(".govuk-task-list__status").get_text(" ", strip=True)
        for item in page.select(".govuk-task-list__item")
    }


def _field_errors(page: BeautifulSoup) -> dict[str, str]:
    return {
        error["id"].removesuffix("-error"): error.get_text(" ", strip=True).removeprefix("Error: ")
        for error in page.select(".govuk-error-message")
    }


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team)


@pytest.fixture
def started(client, session, team, navigator):
    """A case in assessment with an entry draft, and its navigator signed in."""
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    assessment_journey.start(session, actor=navigator, case=case, stage=needs.Stage.ENTRY, now=NOW)
    session.commit()
    sign_in_quickly(client, session, navigator)
    return case


def test_navigator_records_first_contact_then_starts_the_assessment(client, session, team, navigator):
    case = make_case(session, team=team, navigator_id=navigator.id, referred_at=NOW - timedelta(days=2))
    session.commit()
    sign_in_quickly(client, session, navigator)
    now = local(NOW)
    response = _post(
        client,
        f"/cases/{case.id}/first-contact",
        {
            "contact_date": now.strftime("%d/%m/%Y"),
            "contact_time": (now - timedelta(minutes=30)).strftime("%H:%M"),
            "method": "in_person",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Case, case.id).case_state is CaseState.ASSESSMENT

    case_page = _soup(client.get(f"/cases/{case.id}"))
    path = case_page.find("a", string="Record the needs assessment")["href"]
    assert path == f"/cases/{case.id}/assessment/entry"
    start = _soup(client.get(path))
    assert start.select_one("h1").get_text(strip=True) == "Entry needs assessment"
    assert start.find("button", string=lambda s: s and "Start the assessment" in s)
    started = _post(client, path, {})
    assert started.status_code == 302 and started.headers["Location"] == path
    tasks = _statuses(_soup(client.get(path)))
    assert len(tasks) == 17
    assert {tasks[label] for _, label in NEED_DOMAINS} == {"Not yet started"}
    assert tasks["Safeguarding and risk flags"] == "Not yet started"
    assert tasks["Check your answers and complete the assessment"] == "Cannot start yet"


def test_an_assessment_cannot_be_started_in_the_wrong_case_state(client, session, team, navigator):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, navigator)
    page = _soup(client.get(f"/cases/{case.id}/assessment/exit"))
    assert "An exit assessment cannot be recorded while the case is 'Assessment'." in page.select_one("main").text
    assert not page.find("button", string=lambda s: s and "Start" in s)
    refused = _soup(_post(client, f"/cases/{case.id}/assessment/exit", {}))
    assert "cannot be recorded while the case is" in refused.select_one(".govuk-error-summary").text
    assert not session.scalars(select(AuditEvent).where(AuditEvent.action == "case.assessment_started")).all()


def test_a_domain_page_shows_every_problem_by_its_field_and_keeps_what_was_typed(client, session, started):
    path = f"/cases/{started.id}/assessment/entry/needs/alcohol"
    assert (
        _post(client, path, {"need_level": "1", "linked_to_offending": "no", "person_priority": "2"}).status_code == 302
    )
    path = f"/cases/{started.id}/assessment/entry/needs/drugs"
    refused = _post(client, path, {"person_priority": "2", "strengths": "Plays five-a-side", "notes": "x" * 4001})
    page = _soup(refused)
    assert page.title.get_text().startswith("Error: ")
    assert _field_errors(page) == {
        "need_level": "Select the level of need for drug misuse",
        "linked_to_offending": "Say whether drug misuse is linked to the offending",
        "person_priority": "Priority 2 is already given to alcohol misuse",
        "notes": "Notes must be 4,000 characters or fewer",
    }
    summary_links = [a["href"] for a in page.select(".govuk-error-summary a")]
    assert summary_links == ["#need_level", "#linked_to_offending", "#person_priority", "#notes"]
    assert page.select_one("input[name=person_priority]")["value"] == "2"
    assert page.select_one("textarea[name=strengths]").get_text() == "Plays five-a-side"
    assert "Already given: 2 to alcohol misuse" in page.select_one("#person_priority-hint").get_text()
    not_a_number = _soup(_post(client, path, {"need_level": "2", "linked_to_offending": "yes", "person_priority": "x"}))
    assert _field_errors(not_a_number) == {"person_priority": "Enter a number from 1 to 15"}


def test_saving_a_domain_goes_on_to_the_next_and_the_task_list_shows_it_completed(client, session, started):
    path = f"/cases/{started.id}/assessment/entry/needs/drugs"
    saved = _post(client, path, {"need_level": "3", "linked_to_offending": "yes", "consent_to_refer": "y"})
    assert saved.headers["Location"] == f"/cases/{started.id}/assessment/entry/needs/alcohol"
    next_page = _soup(client.get(saved.headers["Location"]))
    assert "Drug misuse saved." in next_page.select_one(".govuk-notification-banner").text
    assert next_page.select_one("h1").get_text(strip=True) == "Alcohol misuse"
    again = _soup(client.get(path))  # what was saved comes back for changing
    assert again.select_one("input[name=need_level][value='3']").has_attr("checked")
    assert again.select_one("input[name=consent_to_refer]").has_attr("checked")
    tasks_page = _soup(client.get(f"/cases/{started.id}/assessment/entry"))
    tasks = _statuses(tasks_page)
    assert tasks["Drug misuse"] == "Completed" and tasks["Alcohol misuse"] == "Not yet started"
    assert "High need, linked to the offending" in tasks_page.select_one("#needs-6-hint").text
    assert "completed 1 of 16 sections" in tasks_page.select_one("main").text
    resume = tasks_page.select_one("main a.govuk-button")
    assert resume.get_text(" ", strip=True) == "Continue where you left off : alcohol misuse"
    assert resume["href"] == f"/cases/{started.id}/assessment/entry/needs/alcohol"


def test_the_safeguarding_page_shows_each_flags_missing_action_by_its_field(client, session, started):
    path = f"/cases/{started.id}/assessment/entry/safeguarding"
    nothing = _soup(_post(client, path, {}))
    assert "or select that there are none" in _field_errors(nothing)["no_concerns"]
    refused = _soup(
        _post(client, path, {"flag-self_harm": "y", "flag-exploitation-action": "Told the county lines team"})
    )
    assert _field_errors(refused) == {
        "flag-self_harm-action": "Record the action taken for: risk of self-harm",
        "flag-exploitation": (
            "Select 'Being exploited (for example county lines)' if you took this action, or delete it"
        ),
    }
    assert refused.select_one("textarea[name=flag-exploitation-action]").get_text() == "Told the county lines team"
    saved = _post(client, path, {"flag-self_harm": "y", "flag-self_harm-action": "Crisis team called"})
    assert saved.headers["Location"] == f"/cases/{started.id}/assessment/entry/needs/accommodation"
    assert _statuses(_soup(client.get(f"/cases/{started.id}/assessment/entry")))["Safeguarding and risk flags"] == (
        "Completed"
    )


def test_check_your_answers_names_what_is_missing_then_completes_the_assessment(client, session, started):
    for domain, _ in NEED_DOMAINS:
        if domain != "gambling":
            level, linked = ("3", "yes") if domain == "drugs" else ("0", "no")
            _post(
                client,
                f"/cases/{started.id}/assessment/entry/needs/{domain}",
                {"need_level": level, "linked_to_offending": linked},
            )
    check = f"/cases/{started.id}/assessment/entry/check-answers"
    page = _soup(client.get(check))
    gambling = page.find("h2", string="Gambling").find_parent(class_="govuk-summary-card")
    assert "Not yet started" in gambling.text
    assert gambling.select_one("a")["href"] == f"/cases/{started.id}/assessment/entry/needs/gambling"
    refused = _soup(_post(client, check, {}))
    assert "Not done yet: Gambling and Safeguarding and risk." in refused.select_one(".govuk-error-summary").text

    _post(
        client, f"/cases/{started.id}/assessment/entry/needs/gambling", {"need_level": "0", "linked_to_offending": "no"}
    )
    done = _post(client, f"/cases/{started.id}/assessment/entry/safeguarding", {"no_concerns": "y"})
    assert done.headers["Location"] == check
    assert (
        _statuses(_soup(client.get(f"/cases/{started.id}/assessment/entry")))[
            "Check your answers and complete the assessment"
        ]
        == "Not yet started"
    )
    page = _soup(client.get(check))
    drugs = page.find("h2", string="Drug misuse").find_parent(class_="govuk-summary-card")
    assert "High" in drugs.text and drugs.select_one("a").get_text(" ", strip=True) == "Change drug misuse"
    assert "No safeguarding or risk concerns." in page.text
    completed = _post(client, check, {})
    assert completed.headers["Location"] == f"/cases/{started.id}/needs"
    case_page = _soup(client.get(f"/cases/{started.id}/needs"))
    needs_text = case_page.select_one("main ol").get_text(" ", strip=True)
    assert "The entry assessment is complete." in case_page.select_one(".govuk-notification-banner").text
    assert "Drug misuse: high need" in needs_text and "Suggested pathway condition" in needs_text
    assert case_page.select_one(f"main a[href='/cases/{started.id}/assessment/entry']") is not None


def test_a_completed_assessment_is_shown_read_only_and_refuses_changes(client, session, team, navigator):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    record_whole_assessment(
        session,
        actor=navigator,
        case=case,
        stage=needs.Stage.ENTRY,
        scores=[DomainInput("drugs", 2, True, strengths="Keeps appointments")],
        now=NOW,
    )
    session.commit()
    sign_in_quickly(client, session, navigator)
    path = f"/cases/{case.id}/assessment/entry"
    for page in ("needs/drugs", "safeguarding", "check-answers"):
        assert client.get(f"{path}/{page}").headers["Location"] == path
    frozen = _soup(client.get(path))
    assert "cannot be changed" in frozen.select_one("main").text and "Keeps appointments" in frozen.text
    assert not frozen.find("a", string=lambda s: s and "Change" in s) and not frozen.select(
        "main form[method=post] button"
    )
    refused = _soup(
        client.post(
            f"{path}/needs/drugs",
            data={
                "csrf_token": csrf_token(client, "/cases/"),
                "version": "5",
                "need_level": "0",
                "linked_to_offending": "no",
                **BLANK_DOMAIN,
            },
        )
    )
    assert "has been completed and can no longer be changed" in refused.select_one(".govuk-error-summary").text


def test_a_save_over_a_colleagues_newer_save_is_refused_naming_them(app, client, session, team, started):
    path = f"/cases/{started.id}/assessment/entry/needs/drugs"
    token = csrf_token(client, path)
    colleague = make_user(session, roles=[Role.SUPERVISOR], team=team)
    other = app.test_client()
    sign_in_quickly(other, session, colleague)
    assert _post(other, path, {"need_level": "3", "linked_to_offending": "yes"}).status_code == 302
    refused = _soup(
        client.post(
            path,
            data={"csrf_token": token, "version": "1", "need_level": "0", "linked_to_offending": "no", **BLANK_DOMAIN},
        )
    )
    summary = refused.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "Someone else changed the entry assessment" in summary and colleague.full_name in summary
    assert refused.select_one("input[name=need_level][value='0']").has_attr("checked")  # kept what was typed
    journey = assessment_journey.open_journey(session, actor=colleague, case=started, stage=needs.Stage.ENTRY)
    session.refresh(journey.assessment)
    assert journey.answers("drugs").need_level == 3


def test_every_page_that_shows_the_assessment_records_a_consultation(client, session, started):
    base = f"/cases/{started.id}/assessment/entry"
    for path in (base, f"{base}/needs/drugs", f"{base}/safeguarding", f"{base}/check-answers"):
        assert client.get(path).status_code == 200
    chain_queued_views(session)
    viewed = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.case_id == started.id, AuditEvent.action == "case.viewed")
        .order_by(AuditEvent.sequence)
    ).all()
    assert [(e.detail["page"], e.detail["view"], e.detail.get("domain")) for e in viewed] == [
        ("cases.assess", "assessment_tasks", None),
        ("cases.assessment_domain", "assessment_domain", "drugs"),
        ("cases.assessment_safeguarding", "assessment_safeguarding", None),
        ("cases.assessment_check", "assessment_check_answers", None),
    ]


def test_custody_and_other_teams_never_see_needs(client, session, team, other_team):
    case = make_case(session, team=team, state=CaseState.ASSESSMENT)
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    session.commit()
    sign_in_quickly(client, session, sergeant)
    status_page = client.get(f"/cases/{case.id}").text
    assert "Needs" not in status_page and "Safeguarding" not in status_page
    for page in ("", "/needs/drugs", "/safeguarding", "/check-answers"):
        assert client.get(f"/cases/{case.id}/assessment/entry{page}").status_code == 403
    sign_in_quickly(client, session, make_user(session, roles=[Role.NAVIGATOR], team=other_team))
    for page in ("", "/needs/drugs", "/safeguarding", "/check-answers"):
        assert client.get(f"/cases/{case.id}/assessment/entry{page}").status_code == 404


def test_supervisor_adds_a_service_and_a_navigator_refers_to_it(app, client, session, team):
    from casework.models import PartnerService, Referral

    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, supervisor)
    added = client.post(
        "/directory/new",
        data={
            **shown_fields(client, "/directory/new"),
            "name": "Durham Recovery Hub",
            "pathway": "drugs",
            "phone": "0191 555 0111",
            "data_accepted": "Name, date of birth and phone",
        },
    )
    assert added.status_code == 302
    service = session.query(PartnerService).one()

    other = app.test_client()
    sign_in_quickly(other, session, navigator)
    path = f"/cases/{case.id}/referrals/new"
    data = {
        **shown_fields(other, path),
        "service_id": service.id,
        "need_domain": "drugs",
        "sent_on": local(NOW).strftime("%d/%m/%Y"),
        "method": "secure_email",
        "data_shared": ["name", "reason"],
    }
    refused = other.post(path, data=data)
    assert (
        "only be sent with the person's consent"
        in BeautifulSoup(refused.text, "html.parser").select_one("#consent_recorded-error").get_text()
    )
    assert other.post(path, data={**data, "consent_recorded": "y"}).status_code == 302
    assert "Durham Recovery Hub" in other.get(f"/cases/{case.id}/needs").text
    assert session.query(Referral).one().data_shared == ["name", "reason"]


def test_the_midpoint_and_exit_assessments_are_offered_from_the_contracts_dates(app, client, session, team):
    """They were offered on the contract's first day; now the midpoint opens halfway through the
    signed term and the exit in its last four weeks, by the London date (British Summer Time here)."""
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    record_whole_assessment(
        session,
        actor=navigator,
        case=case,
        stage=needs.Stage.ENTRY,
        now=NOW,
        scores=[DomainInput(d, 1, False) for d, _ in NEED_DOMAINS],
    )
    case.state = CaseState.ACTIVE.value
    # 120 days: halfway is 30 June, the last four weeks start on 1 August.
    make_contract(session, case=case, created_by=navigator, starts_on=date(2027, 5, 1), ends_on=date(2027, 8, 29))
    session.commit()
    clock = app.extensions["casework.clock"]

    def offered_at(instant):
        clock.set(instant)
        sign_in_quickly(client, session, navigator)
        soup = BeautifulSoup(client.get(f"/cases/{case.id}").text, "html.parser")
        return {a.get_text(strip=True) for a in soup.select(".app-next-steps a")}

    midpoint, exit_ = "Record the midpoint assessment", "Record the exit assessment"
    assert not {midpoint, exit_} & offered_at(datetime(2027, 5, 1, 9, 0, tzinfo=UTC))  # the first day
    typed = _post(client, f"/cases/{case.id}/assessment/midpoint", {})  # the URL typed by hand: refused, and when
    refusal = BeautifulSoup(typed.text, "html.parser").select_one(".govuk-error-summary").get_text()
    assert "can be recorded from 30 June 2027, halfway through the contract" in refusal
    assert assessment.recorded_stages(session, case=case) == {"entry"}

    assert midpoint not in offered_at(datetime(2027, 6, 29, 22, 30, tzinfo=UTC))  # 11:30pm on 29 June in London
    assert midpoint in offered_at(datetime(2027, 6, 29, 23, 30, tzinfo=UTC))  # already 30 June in London
    assert exit_ not in offered_at(datetime(2027, 7, 31, 22, 30, tzinfo=UTC))
    assert {midpoint, exit_} <= offered_at(datetime(2027, 7, 31, 23, 30, tzinfo=UTC))
    assert client.get(f"/cases/{case.id}/assessment/exit").status_code == 200
