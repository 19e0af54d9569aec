"""A create form sent twice creates one record: a double click (one copy after the other) or two
copies at the same moment, on both databases with real commits. The second copy is refused with
"This form was already sent", linked to what the first one saved (services/submissions.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.domain.clock import local
from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import (
    Case,
    CaseNote,
    CheckIn,
    Condition,
    ConditionProgress,
    FormSubmission,
    PartnerService,
    Person,
    Referral,
)
from casework.services import contracts, referrals
from tests.conftest import (
    NOW,
    backend,
    make_case,
    make_person,
    make_team,
    make_user,
    sign_in_quickly,
)
from tests.form_posts import shown_fields
from tests.races import all_ready_before_any_write, race, race_track, soup
from tests.services.test_contract_signing import _agree_and_sign, _draft
from tests.services.test_referrals import HUB

DUE = NOW.date() + timedelta(days=30)  # by when a test condition is due: inside any term

TODAY = local(NOW).strftime("%d/%m/%Y")


@dataclass
class CreateForm:
    """One create form, ready to be sent: who sends it, where it is, what they typed, and how to
    count what it made."""

    user: object
    page: str
    action: str  # the form's action (also where it is sent)
    answers: dict
    records: Callable[[], int]
    events: Callable[[], int]
    saved_at: Callable[[], str]  # where the second copy is sent to see what the first one saved


@pytest.fixture(scope="module")
def track(tmp_path_factory):
    yield from race_track(tmp_path_factory)


def _navigator_case(track, **values):
    with track.sessions() as setup:
        team = make_team(setup)
        navigator = make_user(setup, roles=[Role.NAVIGATOR], team=team)
        case = make_case(setup, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id, **values)
        setup.commit()
        return navigator, case


def case_note(track) -> CreateForm:
    navigator, case = _navigator_case(track)
    return CreateForm(
        user=navigator,
        page=f"/cases/{case.id}/notes",
        action=f"/cases/{case.id}/notes",
        answers={"body": "Met at the hub; talked about a tenancy."},
        records=lambda: track.count(CaseNote, CaseNote.case_id == case.id),
        events=lambda: track.audited("case.note_added", case_id=case.id),
        saved_at=lambda: f"/cases/{case.id}/notes",
    )


def partner_referral(track) -> CreateForm:
    navigator, case = _navigator_case(track)
    with track.sessions() as setup:
        supervisor = make_user(setup, roles=[Role.SUPERVISOR], team=setup.get(Case, case.id).team)
        service = referrals.add_service(setup, actor=supervisor, details=HUB, now=NOW)
        setup.commit()
    return CreateForm(
        user=navigator,
        page=f"/cases/{case.id}/referrals/new",
        action=f"/cases/{case.id}/referrals/new",
        answers={
            "service_id": service.id,
            "need_domain": "drugs",
            "sent_on": TODAY,
            "method": "secure_email",
            "data_shared": ["name", "reason"],
            "consent_recorded": "y",
        },
        records=lambda: track.count(Referral, Referral.case_id == case.id),
        events=lambda: track.audited("case.referral_sent", case_id=case.id),
        saved_at=lambda: f"/cases/{case.id}/referrals/{track.only(Referral.id, Referral.case_id == case.id)}",
    )


def new_person(track) -> CreateForm:
    """A namesake is already on record, so the sergeant confirms "none of these" and saves."""
    with track.sessions() as setup:
        sergeant = make_user(setup, roles=[Role.CUSTODY_SERGEANT], team=make_team(setup))
        namesake = make_person(setup, creator=sergeant, family_name="Rowe", given_names="Alex")
        given = f"Casey {uuid.uuid4().hex[:6]}"
        born = namesake.date_of_birth
        setup.commit()
    casey = select(Person.id).where(Person.given_names == given)
    answers = {
        "given_names": given,
        "family_name": "Rowe",
        "date_of_birth": born.strftime("%d/%m/%Y"),
        "address_line_1": "1 High Street",
        "town": "Durham",
        "postcode": "DH1 3HP",
        "preferred_language": "en",
        "interpreter_needed": "no",
        "appropriate_adult_needed": "no",
        "ethnicity": "white_british",
        "sex": "female",
        "disability": "not_stated",
        "confirm_new": "y",
    }
    return CreateForm(
        user=sergeant,
        page="/custody/people/new",
        action="/custody/people/new",
        answers=answers,
        records=lambda: track.count(Person, Person.given_names == given),
        events=lambda: track.audited("person.created"),
        saved_at=lambda: f"/custody/cases/{track.only(Case.id, Case.person_id.in_(casey))}/custody-details",
    )


def partner_service(track) -> CreateForm:
    with track.sessions() as setup:
        supervisor = make_user(setup, roles=[Role.SUPERVISOR], team=make_team(setup))
        setup.commit()
    return CreateForm(
        user=supervisor,
        page="/directory/new",
        action="/directory/new",
        answers={"name": "Durham Recovery Hub", "pathway": "drugs", "phone": "0191 555 0111", "data_accepted": "Name"},
        records=lambda: track.count(PartnerService, PartnerService.team_id == supervisor.team_id),
        events=lambda: track.audited("directory.service_added"),
        saved_at=lambda: f"/directory/{track.only(PartnerService.id, PartnerService.team_id == supervisor.team_id)}",
    )


def contract_condition(track) -> CreateForm:
    with track.sessions() as setup:
        team = make_team(setup)
        navigator = make_user(setup, roles=[Role.NAVIGATOR], team=team)
        case, contract = _draft(setup, team, navigator)
        setup.commit()
    return CreateForm(
        user=navigator,
        page=f"/cases/{case.id}/contract/",
        action=f"/cases/{case.id}/contract/conditions",
        answers={
            "type": "education",
            "wording": "Attend the budgeting course",
            "rule": "sessions",
            "target": "4",
            "partner_service_id": "0",
            "due_on": local(NOW + timedelta(days=30)).strftime("%d/%m/%Y"),
        },
        records=lambda: track.count(Condition, Condition.contract_id == contract.id),
        events=lambda: track.audited("contract.condition_added", case_id=case.id),
        saved_at=lambda: f"/cases/{case.id}/contract/",
    )


def condition_progress(track) -> CreateForm:
    with track.sessions() as setup:
        team = make_team(setup)
        navigator = make_user(setup, roles=[Role.NAVIGATOR], team=team)
        case, contract = _draft(setup, team, navigator)
        course = DraftCondition(ConditionType.EDUCATION, "Attend the course", CompletionRule.SESSIONS, 4, DUE)
        condition = contracts.add_condition(
            setup, actor=navigator, case=case, condition=course, seen_version=contract.version, now=NOW
        )
        _agree_and_sign(setup, navigator, case, contract)
        setup.commit()
    path = f"/cases/{case.id}/contract/conditions/{condition.id}/progress"
    return CreateForm(
        user=navigator,
        page=path,
        action=path,
        answers={"happened_on": TODAY, "amount": "1", "evidence": "navigator_observed", "note": ""},
        records=lambda: track.count(ConditionProgress, ConditionProgress.condition_id == condition.id),
        events=lambda: track.audited("contract.progress_recorded", case_id=case.id),
        saved_at=lambda: f"/cases/{case.id}/contract-summary",
    )


def check_in(track) -> CreateForm:
    navigator, case = _navigator_case(track)
    return CreateForm(
        user=navigator,
        page=f"/cases/{case.id}/check-ins/new",
        action=f"/cases/{case.id}/check-ins/new",
        answers={
            "date": local(NOW + timedelta(days=3)).strftime("%d/%m/%Y"),
            "time": "2pm",
            "mode": "in_person",
            "place": "Navigator office",
        },
        records=lambda: track.count(CheckIn, CheckIn.case_id == case.id),
        events=lambda: track.audited("check_in.added", case_id=case.id),
        saved_at=lambda: f"/cases/{case.id}/check-ins/{track.only(CheckIn.id, CheckIn.case_id == case.id)}",
    )


FORMS = [case_note, partner_referral, new_person, partner_service, contract_condition, condition_progress, check_in]


def _send_twice(track, form: CreateForm, *, at_once: bool):
    browser = track.signed_in(form.user)
    data = {**shown_fields(browser, form.page, form.action), **form.answers}
    twin = track.same_browser(browser)
    if not at_once:
        return [browser.post(form.action, data=data), twin.post(form.action, data=data)], []
    with all_ready_before_any_write(FormSubmission, 2) as gave_up:
        return race(lambda: browser.post(form.action, data=data), lambda: twin.post(form.action, data=data)), gave_up


@pytest.mark.parametrize("at_once", [False, True], ids=["one after the other", "at the same moment"])
@pytest.mark.parametrize("create", FORMS, ids=lambda f: f.__name__)
def test_a_create_form_sent_twice_creates_one_record(track, create, at_once):
    form = create(track)
    before = form.records(), form.events()
    responses, gave_up = _send_twice(track, form, at_once=at_once)
    assert not gave_up
    statuses = [response.status_code for response in responses]
    assert statuses.count(302) == 1 and all(status < 500 for status in statuses), statuses
    assert (form.records(), form.events()) == (before[0] + 1, before[1] + 1)
    loser = next(response for response in responses if response.status_code != 302)
    page = soup(loser)
    assert page.title.get_text().startswith("Error:")
    told = page.select_one(".govuk-error-summary a[href*='/']")
    assert told is not None and told.get_text().startswith("This form was already sent"), page.get_text()[:800]
    assert told["href"] == form.saved_at()


def test_a_create_form_sent_without_its_token_is_kept_and_can_be_sent_again(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    case = make_case(session, team=team, state=CaseState.ASSESSMENT, navigator_id=navigator.id)
    session.commit()
    sign_in_quickly(client, session, navigator)
    form = shown_fields(client, f"/cases/{case.id}/notes", "/notes")
    del form["submission_token"]  # a page opened before tokens existed, or a scripted post
    refused = client.post(f"/cases/{case.id}/notes", data={**form, "body": "Met at the hub."})
    page = soup(refused)
    assert refused.status_code == 400 and page.title.get_text().startswith("Error:")
    assert "This form could not be sent" in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("textarea[name=body]").get_text().strip() == "Met at the hub."
    hidden = page.select("form[action$='/notes'] input[type=hidden]")
    again = {field["name"]: field.get("value", "") for field in hidden}
    assert client.post(f"/cases/{case.id}/notes", data={**again, "body": "Met at the hub."}).status_code == 302


@pytest.mark.parametrize("at_once", [False, True], ids=["one after the other", "at the same moment"])
def test_starting_a_check_twice_for_someone_on_record_opens_one_case(track, at_once):
    with track.sessions() as setup:
        sergeant = make_user(setup, roles=[Role.CUSTODY_SERGEANT], team=make_team(setup))
        person = make_person(setup, creator=sergeant, family_name=f"Rowe{uuid.uuid4().hex[:6]}")
        setup.commit()
    form = CreateForm(
        user=sergeant,
        page=f"/custody/people?q={person.family_name}",
        action=f"/custody/people/{person.id}/cases",
        answers={},
        records=lambda: track.count(Case, Case.person_id == person.id),
        events=lambda: track.audited("case.opened"),
        saved_at=lambda: f"/custody/cases/{track.only(Case.id, Case.person_id == person.id)}/custody-details",
    )
    before = form.events()
    responses, gave_up = _send_twice(track, form, at_once=at_once)
    assert not gave_up
    assert sorted(response.status_code for response in responses) == [302, 409]
    assert (form.records(), form.events()) == (1, before + 1)
    loser = soup(next(response for response in responses if response.status_code == 409))
    if at_once and backend() == "postgresql":  # both looked before either opened the case
        told = loser.select_one("main a[href*='/custody/cases/']")
        assert told.get_text().startswith("This form was already sent") and told["href"] == form.saved_at()
    else:  # the second copy finds the case the first one opened, and asks before opening another
        assert "already has an open case" in loser.h1.get_text()
