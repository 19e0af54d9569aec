"""Check-ins through the pages: the schedule on the case, one check-in's page, adding, moving,
cancelling, recording what happened (with the next contact), settling an absence, and the schedule
a signing generates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain.clock import LONDON, local
from casework.domain.roles import Role
from casework.models import AuditEvent, CheckIn, Reminder
from casework.services import case_endings, check_ins, contract_signing
from tests.audit_queue import chain_queued_views
from tests.conftest import NOW, csrf_token, make_user, sign_in_quickly
from tests.form_posts import shown_fields
from tests.services.test_check_ins import _signed
from tests.services.test_contract_signing import _draft

# The case is signed at NOW (Tuesday 24 November 2026, 10:00 in London); the pattern's first
# check-in is a week later.
FIRST = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _error(response, field: str) -> str:
    found = _soup(response).select_one(f"#{field}-error")
    assert found is not None, (
        f"no error by {field}: {_soup(response).select_one('main').get_text(' ', strip=True)[:600]}"
    )
    return found.get_text(" ", strip=True).removeprefix("Error: ")


def _text(response) -> str:
    return " ".join(_soup(response).select_one("main").get_text(" ", strip=True).split())


def _next_check_in(client, case) -> str:
    """The overview's next check-in, as read."""
    shown = _soup(client.get(f"/cases/{case.id}")).select_one("#next-check-in")
    return " ".join(shown.get_text().split()) if shown else ""


@pytest.fixture
def navigator(session, team):
    return make_user(session, roles=[Role.NAVIGATOR], team=team, full_name="Nia Navigator")


@pytest.fixture
def case(session, team, navigator):
    signed = _signed(session, team, navigator)
    session.commit()
    return signed


@pytest.fixture
def browser(client, session, navigator):
    sign_in_quickly(client, session, navigator)
    return client


def _later(clock, client, session, navigator, instant: datetime) -> None:
    """Move the clock (a week on, the earlier sign-in has timed out) and sign in again."""
    clock.set(instant)
    sign_in_quickly(client, session, navigator)


def _first(session, case) -> CheckIn:
    session.expire_all()
    return check_ins.for_case(session, case=case)[0]


def _page(case, check_in) -> str:
    return f"/cases/{case.id}/check-ins/{check_in.id}"


def _send(client, path: str, **answers):
    return client.post(path, data={**shown_fields(client, path), **answers})


# --- the schedule ----------------------------------------------------------------------------------


def test_the_case_shows_the_generated_schedule_and_the_overview_the_next_check_in(browser, session, case):
    schedule = browser.get(f"/cases/{case.id}/check-ins")
    assert schedule.status_code == 200
    page = _soup(schedule)
    assert page.title.get_text().startswith(f"Check-ins \N{EN DASH} case {case.reference}")
    assert page.select_one(".moj-sub-navigation__link[aria-current=page]").get_text(strip=True) == "Check-ins"
    rows = page.select("table tbody tr")
    first = [cell.get_text(" ", strip=True) for cell in rows[0].select("td")]
    assert first == ["Tuesday 1 December 2026, 10:00", "In person", "Navigator office", "Booked"]
    assert len(rows) == len(check_ins.for_case(session, case=case)) > 6
    assert rows[0].select_one("a")["href"] == _page(case, _first(session, case))

    assert _next_check_in(browser, case) == "Tuesday 1 December 2026, 10:00: in person, Navigator office."


def test_a_check_in_is_added_from_forgiving_date_and_time(browser, session, case):
    path = f"/cases/{case.id}/check-ins/new"
    saved = _send(browser, path, date="1/1/27", time="2pm", mode="phone", place="07700 900123")
    assert saved.status_code == 302
    added = session.scalars(select(CheckIn).where(CheckIn.case_id == case.id, CheckIn.source == "added")).one()
    assert local(added.scheduled_at) == datetime(2027, 1, 1, 14, 0, tzinfo=LONDON)
    schedule = _text(browser.get(f"/cases/{case.id}/check-ins"))
    assert "Friday 1 January 2027, 14:00 Phone call 07700 900123 Booked" in schedule


def test_adding_a_check_in_reports_each_problem_by_its_field_and_keeps_what_was_typed(browser, case):
    path = f"/cases/{case.id}/check-ins/new"
    empty = _send(browser, path)
    assert {field: _error(empty, field) for field in ("date", "time", "mode")} == {
        "date": "Enter the date of the check-in",
        "time": "Enter the time of the check-in",
        "mode": "Select how the check-in will be held",
    }
    by_phone = _send(browser, path, date="tomorrow", time="2pm", mode="phone", place="")
    assert _error(by_phone, "date") == "Date must be a real date, for example, 27/3/2026"
    assert _error(by_phone, "place") == "Enter the number the navigator will call"
    page = _soup(by_phone)
    assert page.select_one("input#date")["value"] == "tomorrow"
    assert page.select_one("input#time")["value"] == "2pm"
    assert page.select_one("input[name=mode][value=phone]").has_attr("checked")
    assert page.title.get_text().startswith("Error: ")

    yesterday = local(NOW - timedelta(days=1)).strftime("%d/%m/%Y")
    past = _send(browser, path, date=yesterday, time="10:00", mode="in_person", place="Hub")
    assert _error(past, "date") == "The check-in must be in the future"
    clash = _send(browser, path, date="1/12/2026", time="10am", mode="in_person", place="Hub")
    assert _error(clash, "date") == "There is already a check-in on this case at that time"


# --- moving and cancelling -------------------------------------------------------------------------


def test_moving_a_check_in_keeps_the_old_time_who_asked_and_why_on_its_page(browser, session, case, navigator):
    first = _first(session, case)
    path = f"{_page(case, first)}/move"
    form = _soup(browser.get(path))
    assert form.select_one("input#date")["value"] == "01/12/2026"
    assert form.select_one("input#time")["value"] == "10:00"
    assert form.select_one("input#place")["value"] == "Navigator office"

    refused = _send(browser, path, date="2/12/2026", time="14:30", mode="in_person", place="Navigator office")
    assert _error(refused, "requested_by") == "Select who asked for the change"
    assert _error(refused, "reason") == "Say why"
    assert _soup(refused).select_one("input#time")["value"] == "14:30"

    moved = _send(
        browser,
        path,
        date="2/12/2026",
        time="2:30pm",
        mode="video",
        place="Teams link sent by text",
        requested_by="person",
        reason="Job interview that morning",
    )
    assert moved.status_code == 302 and moved.headers["Location"] == _page(case, first)
    page = browser.get(_page(case, first))
    history = " ".join(_soup(page).select_one("#history").get_text(" ", strip=True).split())
    assert (
        "Moved from 10:00 on Tuesday 1 December 2026 to 14:30 on Wednesday 2 December 2026 "
        "by the person: Job interview that morning" in history
    )
    assert "It was in person, Navigator office. Recorded by Nia Navigator, 24 Nov 2026 at 10:00am." in history
    assert "Video call" in _text(page) and "Teams link sent by text" in _text(page)


def test_a_cancelled_check_in_stays_on_the_schedule_struck_through_and_cannot_be_moved(browser, session, case):
    first = _first(session, case)
    refused = _send(browser, f"{_page(case, first)}/cancel")
    assert _error(refused, "requested_by") == "Select who asked for the check-in to be cancelled"
    cancelled = _send(browser, f"{_page(case, first)}/cancel", requested_by="service", reason="Navigator on leave")
    assert cancelled.status_code == 302

    row = _soup(browser.get(f"/cases/{case.id}/check-ins")).select("table tbody tr")[0]
    assert row.select_one("s").get_text(strip=True) == "Tuesday 1 December 2026, 10:00"
    assert "Cancelled Asked by the service: Navigator on leave" in " ".join(row.get_text(" ", strip=True).split())
    page = browser.get(_page(case, first))
    assert "Cancelled. Asked by the service: Navigator on leave" in _text(page)
    assert not _soup(page).select(".govuk-button-group a")  # nothing left to do with it

    token = csrf_token(browser, _page(case, first))
    for response in (
        browser.get(f"{_page(case, first)}/move"),
        browser.post(f"{_page(case, first)}/move", data={"csrf_token": token, "version": str(first.version)}),
    ):
        assert response.status_code == 409
        assert "This check-in was cancelled, so it cannot be moved." in _text(response)
    assert _next_check_in(browser, case).startswith("Tuesday 8 December 2026, 10:00")


def test_a_change_made_in_another_tab_is_not_overwritten(browser, session, case):
    first = _first(session, case)
    cancel_tab = shown_fields(browser, f"{_page(case, first)}/cancel")
    moved = _send(
        browser,
        f"{_page(case, first)}/move",
        date="2/12/2026",
        time="10:00",
        mode="in_person",
        place="Navigator office",
        requested_by="service",
        reason="Room booked",
    )
    assert moved.status_code == 302
    answers = {"requested_by": "person", "reason": "Poorly"}
    stale = browser.post(f"{_page(case, first)}/cancel", data={**cancel_tab, **answers})
    assert "Someone else changed this check-in" in _error(stale, "requested_by")
    assert _first(session, case).cancelled_at is None
    again = {**answers, **{f["name"]: f["value"] for f in _soup(stale).select("form input[type=hidden]")}}
    assert browser.post(f"{_page(case, first)}/cancel", data=again).status_code == 302


# --- outcomes --------------------------------------------------------------------------------------


def test_nothing_is_recorded_before_the_check_in_starts(browser, session, case):
    first = _first(session, case)
    assert "Record what happened" not in _text(browser.get(_page(case, first)))
    token = csrf_token(browser, _page(case, first))
    refusals = (
        browser.get(f"{_page(case, first)}/outcome"),
        browser.post(f"{_page(case, first)}/outcome", data={"csrf_token": token, "outcome": "attended_complied"}),
    )
    for response in refusals:
        assert response.status_code == 409
        assert "This check-in starts at 10:00 on 1 December 2026. Record what happened once it has started." in _text(
            response
        )
    assert _first(session, case).outcome is None


def test_each_outcome_asks_for_its_own_answers_by_their_fields(browser, session, clock, case, navigator):
    first = _first(session, case)
    _later(clock, browser, session, navigator, FIRST + timedelta(minutes=30))
    path = f"{_page(case, first)}/outcome"
    assert _error(_send(browser, path), "outcome") == "Select what happened"
    late = _send(browser, path, outcome="late", late_minutes="twenty", note="Came in upset")
    assert _error(late, "late_minutes") == "Enter the minutes late, like 20"
    assert _error(late, "late_reason") == "Enter the reason the person gave for being late"
    assert _error(late, "engagement") == "Select how engaged the person was, from 1 to 5"
    kept = _soup(late)
    assert kept.select_one("input#late_minutes")["value"] == "twenty"
    assert kept.select_one("textarea#note").get_text() == "Came in upset"
    assert kept.select_one("input[name=outcome][value=late]").has_attr("checked")

    absent = _send(browser, path, outcome="acceptable_absence", absence_reason="other")
    assert _error(absent, "absence_detail") == "Say what the other reason was"
    not_held = _send(browser, path, outcome="not_held_service_reason")
    assert _error(not_held, "service_reason") == "Say why the service could not hold the check-in"
    # Answers for an outcome not chosen (all on screen without JavaScript) are ignored.
    saved = _send(browser, path, outcome="attended_complied", engagement="4", late_minutes="", service_reason="x")
    assert saved.status_code == 302
    recorded = _first(session, case)
    assert (recorded.outcome, recorded.engagement, recorded.service_reason) == ("attended_complied", 4, None)


def test_recording_what_happened_books_the_next_contact_in_the_same_submission(
    browser, session, clock, case, navigator
):
    first = _first(session, case)
    _later(clock, browser, session, navigator, FIRST + timedelta(minutes=30))
    condition = contract_signing.contracts.in_force(session, case=case).conditions[0]
    path = f"{_page(case, first)}/outcome"
    answers = dict(
        outcome="late",
        engagement="3",
        late_minutes="20",
        late_reason="Bus did not come",
        safeguarding_concerns="Mentioned a new partner who takes their money",
        **{f"condition_{condition.id}": "No new offences reported"},
    )
    no_place = _send(browser, path, **answers, next_date="3/12/2026", next_time="2pm", next_mode="phone")
    assert _error(no_place, "next_place") == "Enter the number the navigator will call"
    in_the_past = _send(
        browser, path, **answers, next_date="1/12/2026", next_time="9am", next_mode="phone", next_place="07700 900123"
    )
    assert _error(in_the_past, "next_date") == "The check-in must be in the future"
    assert _first(session, case).outcome is None  # refused as a whole: nothing half-saved

    saved = _send(
        browser, path, **answers, next_date="3/12/2026", next_time="2pm", next_mode="phone", next_place="07700 900123"
    )
    assert saved.status_code == 302
    shown = browser.get(_page(case, first))
    page = _text(shown)
    assert "Outcome Attended late Engagement 3: Going through the motions Late 20 minutes: Bus did not come" in page
    progress = _soup(shown).select_one("#condition-notes .govuk-summary-list__row")
    assert progress.dt.get_text(strip=True) == f"1. {condition.wording}"
    assert progress.dd.get_text(strip=True) == "No new offences reported"
    assert "Recorded 1 Dec 2026 at 10:30am by Nia Navigator" in page
    booked = session.scalars(select(CheckIn).where(CheckIn.case_id == case.id, CheckIn.source == "added")).one()
    assert (local(booked.scheduled_at), booked.mode) == (datetime(2026, 12, 3, 14, 0, tzinfo=LONDON), "phone")
    assert _next_check_in(browser, case) == "Thursday 3 December 2026, 14:00: phone call, 07700 900123."


def test_an_absence_awaits_an_explanation_then_is_classified(browser, session, clock, case, navigator):
    first = _first(session, case)
    _later(clock, browser, session, navigator, FIRST + timedelta(minutes=30))
    recorded = _send(browser, f"{_page(case, first)}/outcome", outcome="pending_explanation", note="Phoned twice")
    assert recorded.status_code == 302
    page = browser.get(_page(case, first))
    assert "Awaiting explanation until Thursday 3 December 2026" in _text(page)
    assert "The person has until Thursday 3 December 2026 to explain" in _text(page)
    assert [a.get_text(strip=True) for a in _soup(page).select(".govuk-button-group a")] == [
        "Decide whether the absence was acceptable"
    ]
    schedule = _text(browser.get(f"/cases/{case.id}/check-ins"))
    assert "Tuesday 1 December 2026, 10:00 In person Navigator office Awaiting explanation until" in schedule

    _later(clock, browser, session, navigator, datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    path = f"{_page(case, first)}/classify"
    assert "The explanation was due by Thursday 3 December 2026." in _text(browser.get(path))
    assert _error(_send(browser, path), "outcome") == "Select whether the absence was acceptable"
    why_not = _send(browser, path, outcome="unacceptable_absence", absence_reason="medical")
    assert _error(why_not, "unacceptable_reason") == "Say why the absence is not acceptable"
    assert _error(_send(browser, path, outcome="acceptable_absence"), "absence_reason") == (
        "Select the reason for the absence"
    )
    decided = _send(browser, path, outcome="acceptable_absence", absence_reason="medical", evidence_seen="y")
    assert decided.status_code == 302
    page = _text(browser.get(_page(case, first)))
    assert "Outcome Acceptable absence Reason Illness or a medical appointment Evidence seen Yes" in page
    assert "Note Phoned twice" in page
    assert browser.get(path).status_code == 409


# --- the signing page ------------------------------------------------------------------------------


def test_signing_plans_the_check_ins_and_the_case_shows_them(client, session, team, navigator):
    case, contract = _draft(session, team, navigator)
    contract_signing.record_agreement(
        session, actor=navigator, case=case, agreement="agrees", reason="", seen_version=contract.version, now=NOW
    )
    session.commit()
    sign_in_quickly(client, session, navigator)
    path = f"/cases/{case.id}/contract/sign"
    form = _soup(client.get(path))
    assert (
        form.select_one("#check-in-pattern")
        .get_text(" ", strip=True)
        .startswith("Check-ins will be generated weekly for the first 4 weeks, then every 14 days, until ")
    )
    assert form.select_one("input#check_in_time")["value"] == "10:00"
    assert form.select_one("input[name=check_in_mode][value=in_person]").has_attr("checked")
    answers = {
        **shown_fields(client, path),
        "explained_by_id": str(navigator.id),
        "signed_date": local(NOW).strftime("%d/%m/%Y"),
        "signed_time": "9am",
        "place": "Navigator office",
        "language": "en",
        "interpreter_present": "no",
        "appropriate_adult_present": "no",
        "solicitor_present": "no",
        "person_signature": "wet_ink",
        "copy_given": "paper",
        "check_in_mode": "video",
        "check_in_place": "",
    }
    typo = client.post(path, data={**answers, "check_in_time": "25:00"})
    assert _error(typo, "check_in_time") == (
        "Time of day for the check-ins must be a real time, for example 9:30am or 14:30"
    )
    assert _soup(typo).select_one("input#check_in_time")["value"] == "25:00"
    signed = client.post(path, data={**answers, "check_in_time": "2pm", "check_in_place": "Teams link by text"})
    assert signed.status_code == 302 and signed.headers["Location"] == f"/cases/{case.id}"
    schedule = _text(client.get(f"/cases/{case.id}/check-ins"))
    assert "Tuesday 1 December 2026, 14:00 Video call Teams link by text Booked" in schedule


# --- who may see and do what -----------------------------------------------------------------------


def test_only_the_case_team_navigators_and_supervisors_reach_the_check_in_pages(app, session, team, other_team, case):
    first = _first(session, case)
    pages = [
        f"/cases/{case.id}/check-ins",
        _page(case, first),
        f"{_page(case, first)}/move",
        f"/cases/{case.id}/check-ins/new",
    ]
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    refused = {
        make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team): 403,
        make_user(session, roles=[Role.ADMINISTRATOR], team=team): 403,
        # Another team's case answers like one that does not exist.
        make_user(session, roles=[Role.NAVIGATOR], team=other_team): 404,
        make_user(session, roles=[Role.SUPERVISOR], team=other_team): 404,
    }
    for user, status in {supervisor: 200, **refused}.items():
        client = app.test_client()
        sign_in_quickly(client, session, user)
        for path in pages:
            assert client.get(path).status_code == status, (user.roles, path)
        if status != 200:
            answers = {"requested_by": "person", "reason": "Tried", "version": str(first.version)}
            assert client.post(f"{_page(case, first)}/cancel", data=answers).status_code in (400, 403, 404)
    session.expire_all()
    assert _first(session, case).cancelled_at is None


def test_a_check_in_of_another_case_is_not_found_under_this_one(browser, session, team, navigator, case):
    other = _signed(session, team, navigator)
    session.commit()
    theirs = check_ins.for_case(session, case=other)[0]
    assert browser.get(_page(case, theirs)).status_code == 404
    assert browser.get(f"{_page(case, theirs)}/move").status_code == 404


def test_every_check_in_page_is_recorded_as_a_view_of_the_case(browser, session, clock, case):
    first = _first(session, case)
    paths = {
        "cases.check_ins": f"/cases/{case.id}/check-ins",
        "check_ins.new": f"/cases/{case.id}/check-ins/new",
        "check_ins.check_in": _page(case, first),
        "check_ins.move": f"{_page(case, first)}/move",
        "check_ins.cancel": f"{_page(case, first)}/cancel",
    }
    for endpoint, path in paths.items():
        before = session.scalar(select(AuditEvent.sequence).order_by(AuditEvent.sequence.desc()).limit(1))
        assert browser.get(path).status_code == 200, path
        chain_queued_views(session)
        viewed = session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.sequence > before, AuditEvent.action == "case.viewed", AuditEvent.case_id == case.id
            )
        ).all()
        assert viewed == [{"page": endpoint, "scope": "full"}], path


def test_a_failed_reminder_shows_on_the_check_in_and_on_the_schedule(browser, session, case):
    first = _first(session, case)
    session.add(
        Reminder(
            check_in_id=first.id,
            scheduled_for=first.scheduled_at,
            hours_before=48,
            channel="email",
            due_at=first.scheduled_at - timedelta(hours=48),
            status="failed",
            note="the mail server refused the address",
            created_at=NOW,
            settled_at=NOW,
        )
    )
    session.commit()
    page = _soup(browser.get(_page(case, first)))
    reminders = " ".join(page.select_one("#reminders").get_text(" ", strip=True).split())
    assert "Reminder failed" in reminders and "the mail server refused the address" in reminders
    schedule = _text(browser.get(f"/cases/{case.id}/check-ins"))
    assert "Reminder failed" in schedule
    ics = _soup(browser.get(f"/cases/{case.id}/check-ins")).find("a", string=lambda s: s and ".ics" in s)
    assert browser.get(ics["href"]).mimetype == "text/calendar"


def test_check_ins_the_service_cancelled_say_so_in_their_history(browser, session, case, team):
    supervisor = make_user(session, roles=[Role.SUPERVISOR], team=team)
    case_endings.withdraw_in_error(
        session,
        actor=supervisor,
        case=case,
        reason="duplicate",
        detail="Opened twice",
        seen_version=case.version,
        now=NOW,
    )
    session.commit()
    history = _soup(browser.get(_page(case, _first(session, case)))).select_one("#history").get_text(" ", strip=True)
    assert "by the service: The case closed (Withdrawn in error)." in " ".join(history.split())
