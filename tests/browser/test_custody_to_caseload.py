"""A custody sergeant takes a person from find-or-create to a referred case; a supervisor
allocates it; the navigator sees it on their caseload with the charge-date clock, works through the
case's sections, and drafts a contract that a supervisor finds on their home page and approves.
axe runs on every page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from casework.domain.clock import local
from casework.domain.roles import Role
from casework.models import SchemeSettings
from tests.browser.test_journeys import _sign_in

pytestmark = pytest.mark.browser

ANSWERS = {
    "identity": {
        "identity_confirmed": "Yes",
        "identity_method": "Custody biometrics",
        "lives_in_force_area": "Yes",
        "offence_in_force_area": "Yes",
    },
    "evidence": {
        "evidential_test_met": "Yes",
        "admission_stance": "Admitted the offence",
        "understands_obligations": "Yes",
    },
    "gravity": {},
    "seriousness": {
        "custody_likely": "No",
        "local_exclusion": "No",
    },
    "circumstances": {
        "subject_to_court_order": "No",
        "under_supervision": "No",
        "on_bail_other_matter": "No",
        "held_for_court": "No",
        "mha_detention": "No",
        "has_co_accused": "No",
    },
    "victim": {"victim_view": "Supports it", "risk_band": "None supplied"},
}


@pytest.fixture
def contracts_need_approval(live_server):
    """This journey runs under a scheme whose contracts a supervisor approves; others do not."""

    def require(value: bool) -> None:
        with live_server.sessions() as session:
            for settings in session.scalars(select(SchemeSettings)):
                settings.contract_approval_required = value
            session.commit()

    require(True)
    yield
    require(False)


def _section(page, name: str) -> None:
    page.locator(".moj-sub-navigation").get_by_role("link", name=name, exact=True).click()
    page.check()


def _choose(page, name: str, label: str) -> None:
    page.locator(f"input[name={name}]").locator("xpath=..").get_by_text(label, exact=True).click()


def _full_name(page) -> str:
    """The signed-in user's name, from the header: "Signed in as Name (Role, Team)"."""
    shown = " ".join(page.locator(".app-header__user").inner_text().split())
    return shown.removeprefix("Signed in as ").split(" (")[0]


def _fill_signing(page, live_server, *, signature: str, copy: str) -> None:
    signing_now = local(live_server.clock.now())
    page.get_by_label("Date signed").fill(signing_now.strftime("%d/%m/%Y"))
    page.get_by_label("Time signed").fill(signing_now.strftime("%H:%M"))
    page.get_by_label("Where it was signed").fill("Navigator office, Durham")
    page.locator("input[name=language][value=en]").check()
    for name in ("interpreter_present", "appropriate_adult_present", "solicitor_present"):
        page.locator(f"input[name={name}][value=no]").check()
    page.get_by_label(signature).check()
    page.get_by_label(copy).check()


def _squashed(text: str) -> str:
    return "".join(text.split())


def _pdf_text(path) -> str:
    return _squashed(" ".join(page.extract_text() for page in PdfReader(path).pages))


def test_custody_to_referral_to_allocation_to_caseload(make_page, live_server, contracts_need_approval):
    sergeant = make_page()
    _sign_in(sergeant, live_server.users[Role.CUSTODY_SERGEANT])
    sergeant.get_by_role("link", name="Start an eligibility check").click()
    sergeant.check()
    sergeant.get_by_label("Name, PNC ID or date of birth").fill("Okonkwo")
    sergeant.submit("Search")
    assert "0 people found" in sergeant.content()
    sergeant.get_by_role("link", name="Create a new person record").click()
    sergeant.check()

    sergeant.get_by_label("First names").fill("Adaeze")
    sergeant.get_by_label("Last name").fill("Okonkwo")
    sergeant.get_by_label("Date of birth").fill("3/2/1994")
    sergeant.get_by_label("Address line 1").fill("12 Claypath")
    sergeant.get_by_label("Town or city").fill("Durham")
    sergeant.get_by_label("Postcode").fill("DH1")  # not a whole postcode: refused by the field
    _choose(sergeant, "interpreter_needed", "No")
    _choose(sergeant, "appropriate_adult_needed", "No")
    sergeant.get_by_label("Ethnicity (self-defined)").select_option(label="Not stated")
    _choose(sergeant, "sex", "Female")
    _choose(sergeant, "disability", "Not stated")
    sergeant.submit("Save and continue")
    assert sergeant.title().startswith("Error: ")
    assert "real postcode" in sergeant.locator("#postcode-error").inner_text()
    assert sergeant.get_by_label("Last name").input_value() == "Okonkwo"
    sergeant.get_by_label("Postcode").fill("DH1 1SQ")
    sergeant.submit("Save and continue")

    yesterday = local(live_server.clock.now() - timedelta(days=1)).strftime("%d/%m/%Y")
    # Fifty days ago: in time for the offer, but a four-month contract signed today ends too close
    # to the six-month limit for charging common assault, so a supervisor must accept that risk.
    offence_day = local(live_server.clock.now() - timedelta(days=50)).strftime("%d/%m/%Y")
    sergeant.get_by_label("Custody suite").fill("Durham City")
    sergeant.get_by_label("Crime reference").fill("DC/99/26")
    sergeant.get_by_label("Custody record number").fill("CR 1001")
    sergeant.get_by_label("Date of arrest").fill(yesterday)
    sergeant.get_by_label("Time of arrest").fill("8pm")
    sergeant.get_by_label("Date of the offence", exact=True).fill(offence_day)
    sergeant.get_by_label("Where the offence happened").fill("Market Place, Durham")
    sergeant.get_by_label("What happened").fill("Pushed a man to the ground outside a bar.")
    sergeant.get_by_label("Common assault", exact=True).check()
    sergeant.submit("Save and continue")

    for slug, answers in ANSWERS.items():
        assert sergeant.url.endswith(f"/checklist/{slug}")
        for name, label in answers.items():
            _choose(sergeant, name, label)
        if slug == "evidence":
            sergeant.get_by_label("Who made the evidential decision?").fill("DS 1234 Patel")
            sergeant.get_by_label("Date of the evidential decision").fill(yesterday)
            sergeant.get_by_label("Time of the evidential decision").fill("10pm")
        if slug == "gravity":
            sergeant.locator("input[name=aggravating][value=none]").check()
            sergeant.locator("input[name=mitigating][value=early_admission]").check()
            sergeant.get_by_label("Why is the final gravity score right for this offence?").fill(
                "A push with no injury, admitted at once."
            )
        if slug == "seriousness":
            sergeant.locator("input[name=previous_convictions]").fill("0")
        sergeant.submit("Save and continue")

    assert sergeant.url.endswith("/check-answers")
    assert "Eligible" in sergeant.locator(".govuk-panel").inner_text()
    sergeant.get_by_role("link", name="The person accepted").click()
    sergeant.check()
    now = local(live_server.clock.now())
    sergeant.get_by_label("Date consent was given").fill(now.strftime("%d/%m/%Y"))
    sergeant.get_by_label("Time consent was given").fill((now - timedelta(minutes=5)).strftime("%H:%M"))
    sergeant.get_by_label("Who witnessed the consent").fill("PC 1234 Reed")
    _choose(sergeant, "solicitor_present", "No")
    _choose(sergeant, "interpreter_present", "No")
    _choose(sergeant, "appropriate_adult_present", "No")
    sergeant.get_by_label("Date of the first navigator appointment").fill(
        (now + timedelta(days=2)).strftime("%d/%m/%Y")
    )
    sergeant.get_by_label("Time of the first appointment").fill("10am")
    sergeant.get_by_label("Where").fill("Navigator office, Durham")
    sergeant.submit("Record consent and refer")
    # The sergeant is warned before consent that a standard term would run past the latest charge date.
    assert "supervisor will have to accept" in sergeant.locator(".govuk-error-summary").inner_text()
    sergeant.get_by_label(re.compile("I have seen that a supervisor will have to accept this risk")).check()
    sergeant.submit("Record consent and refer")
    panel = sergeant.locator(".govuk-panel").inner_text()
    assert "Referred" in panel
    reference = re.search(r"CP-\d{2}-\d{6}", panel).group(0)
    assert "Latest charge date" in sergeant.content()

    supervisor = make_page()
    _sign_in(supervisor, live_server.users[Role.SUPERVISOR])
    supervisor.get_by_role("link", name=re.compile("without a navigator")).click()
    supervisor.check()
    supervisor.get_by_role("link", name=reference).click()
    supervisor.check()
    assert "Decide on prosecution by" in supervisor.locator(".govuk-warning-text").first.inner_text()
    supervisor.get_by_role("link", name=re.compile("^Allocate")).click()
    supervisor.check()
    assert "Adaeze Okonkwo" in supervisor.locator("main").inner_text()  # the facts of the case being allocated
    assert "Common assault" in supervisor.locator("main").inner_text()
    supervisor.get_by_label("Navigator").select_option(index=1)
    supervisor.submit("Allocate")
    assert "allocated to" in supervisor.locator(".govuk-notification-banner").inner_text()

    navigator = make_page()
    _sign_in(navigator, live_server.users[Role.NAVIGATOR])
    row = navigator.locator("tbody tr", has_text=reference)
    assert "Okonkwo".upper() in row.inner_text()
    assert re.search(r"\d+ days", row.inner_text())
    row.get_by_role("link", name=reference).click()
    navigator.check()
    assert navigator.title().startswith(f"Overview \N{EN DASH} case {reference}")
    _section(navigator, "Notes")
    navigator.get_by_label("Add a case note").fill("Phoned to confirm the first appointment.")
    navigator.submit("Save note")
    assert "Phoned to confirm" in navigator.locator(".app-note").first.inner_text()
    _section(navigator, "Timeline")
    assert "Case note added" in navigator.locator(".moj-timeline").inner_text()
    navigator.get_by_role("link", name="Hide system events").click()
    navigator.check()
    _section(navigator, "Overview")

    navigator.get_by_role("link", name="Record first contact").click()
    navigator.check()
    navigator.get_by_label("Date of first contact").fill(local(live_server.clock.now()).strftime("%d/%m/%Y"))
    navigator.get_by_label("Time").fill(local(live_server.clock.now()).strftime("%H:%M"))
    navigator.get_by_label("In person").check()
    navigator.submit("Record first contact")
    errors = navigator.locator(".govuk-error-message").all_inner_texts()
    assert not errors, errors
    assert "The case is now in assessment" in navigator.locator(".govuk-notification-banner").inner_text()

    _needs_assessment(navigator)

    _section(navigator, "Overview")
    navigator.get_by_role("link", name="Start the contract").click()
    navigator.check()
    navigator.submit("Start the draft contract")
    assert "No further offending" in navigator.locator("main").inner_text()
    navigator.get_by_label("Kind of condition").select_option(label="Community hours")
    navigator.get_by_label("What the person must do").fill("Volunteer at the community garden")
    navigator.get_by_label("How completion is checked").select_option(label="Complete a number of hours")
    navigator.get_by_label("How many sessions or hours").fill("60")
    navigator.submit("Add condition")
    assert "Enter the date it must be done by" in navigator.locator("#due_on-error").inner_text()
    due = local(live_server.clock.now() + timedelta(days=60)).strftime("%d/%m/%Y")
    navigator.get_by_label("By when").fill(due)
    navigator.submit("Add condition")
    assert "between 18 and 36" in navigator.locator("#target-error").inner_text()
    navigator.get_by_label("How many sessions or hours").fill("24")
    navigator.submit("Add condition")
    navigator.get_by_role("link", name=re.compile("^Change")).last.click()
    navigator.check()
    navigator.get_by_role("link", name="Back to the contract").click()
    navigator.check()
    # The suggested pathway has no partner in this team yet: remove it so the contract can be signed.
    navigator.get_by_role("button", name="Remove condition 2").click()
    navigator.check()
    navigator.get_by_label("Agrees to the contract").check()
    navigator.submit("Record the answer")
    navigator.submit("Send for approval")
    assert "Sent to a supervisor for approval" in navigator.locator(".govuk-notification-banner").inner_text()
    contract_path = navigator.url.replace(live_server.url, "")

    # The supervisor finds the contract on their home page, not by typing its address.
    supervisor.locator(".moj-primary-navigation").get_by_role("link", name="Team overview").click()
    supervisor.check()
    supervisor.locator("#waiting-contract").get_by_role("link", name=re.compile(reference)).click()
    supervisor.check()
    assert supervisor.url.endswith(contract_path)
    supervisor.get_by_label("Approve", exact=True).check()
    supervisor.submit("Record the decision")
    assert "Decision recorded" in supervisor.locator(".govuk-notification-banner").inner_text()
    supervisor.locator(".moj-primary-navigation").get_by_role("link", name="Team overview").click()
    supervisor.check()
    assert "None." in supervisor.locator("#waiting-contract").inner_text()

    # The contract would end too close to the latest charge date: the navigator is not offered the
    # signing; a supervisor records it, accepting the risk, and countersigns.
    navigator.visit(contract_path)
    assert not navigator.get_by_role("link", name="Record the signatures").count()
    assert "a supervisor must record the signing" in navigator.locator("main").inner_text()
    navigator_name = _full_name(navigator)
    supervisor.visit(contract_path)
    supervisor.get_by_role("link", name="Record the signatures").click()
    supervisor.check()
    explained_by = supervisor.get_by_label("Navigator who explained the contract")
    assert explained_by.locator("option:checked").inner_text() == navigator_name
    _fill_signing(supervisor, live_server, signature="Typed their name on screen", copy="Paper copy handed over")
    supervisor.get_by_label("The person's typed name").fill("Adaeze Okonkwo")
    supervisor.get_by_label("Risk accepted").fill(
        "Low-level assault; the victim has been told a late breach may not be charged."
    )
    supervisor.submit("Record the signatures")
    errors = supervisor.locator(".govuk-error-summary").all_inner_texts()
    assert not errors, errors
    assert "The contract is signed" in supervisor.locator(".govuk-notification-banner").inner_text()
    supervisor.visit(contract_path)
    with supervisor.page.expect_download() as download:
        supervisor.get_by_role("link", name="Download the contract (PDF, English)").click()
    signed = _pdf_text(download.value.path())
    assert _squashed(f"Navigator, who explained this contract to you: {navigator_name}") in signed
    assert _squashed(f"Countersigned by {_full_name(supervisor)}, supervisor.") in signed
    assert _squashed("at Market Place, Durham") in signed

    navigator.visit(contract_path.replace("/contract/", "/contract-summary"))
    navigator.get_by_role("link", name="Record progress for condition 2").click()
    navigator.check()
    navigator.get_by_label("When").fill(local(live_server.clock.now()).strftime("%d/%m/%Y"))
    navigator.get_by_label("Sessions or hours done").fill("6")
    navigator.get_by_label("Confirmation from the partner").check()
    navigator.submit("Record progress")
    assert "6 of 24 hours" in navigator.get_by_role("region", name="Progress against each condition").inner_text()
    navigator.get_by_role("link", name="View the contract").click()
    navigator.check()
    for name in ("Download the contract (PDF, English)", "Lawrlwytho'r contract (PDF, Cymraeg)"):
        with navigator.page.expect_download() as download:
            navigator.get_by_role("link", name=name).click()
        assert download.value.suggested_filename.endswith(".pdf")
    navigator.get_by_role("link", name="Back to case").click()
    navigator.check()
    assert navigator.title().startswith("Overview")

    supervisor.get_by_role("link", name="Partner services").click()
    supervisor.check()
    supervisor.get_by_role("link", name="Add a service").click()
    supervisor.check()
    supervisor.get_by_label("Service name").fill("Durham Recovery Hub")
    supervisor.get_by_label("Need it helps with").select_option(label="Drug misuse")
    supervisor.get_by_label("Phone").fill("0191 555 0111")
    supervisor.get_by_label("What information the service accepts").fill("Name, date of birth and phone")
    supervisor.submit("Save")
    assert "Durham Recovery Hub" in supervisor.locator("table").inner_text()

    navigator.get_by_role("link", name="Make a referral").click()
    navigator.check()
    navigator.get_by_label("Partner service").select_option(index=1)
    navigator.get_by_label("The need it is for").select_option(label="Drug misuse")
    navigator.get_by_label("Date sent").fill(local(live_server.clock.now()).strftime("%d/%m/%Y"))
    navigator.get_by_label("Secure email").check()
    navigator.get_by_label("Name", exact=True).check()
    navigator.get_by_label("The need the referral is for").check()
    navigator.get_by_label("The person agreed to this referral and to sharing this information").check()
    navigator.submit("Record the referral")
    navigator.get_by_role("link", name="Durham Recovery Hub").click()
    navigator.check()
    navigator.get_by_label("Acknowledged").check()
    navigator.get_by_label("When").fill(local(live_server.clock.now()).strftime("%d/%m/%Y"))
    navigator.submit("Save the update")
    assert "Durham Recovery Hub: acknowledged" in navigator.locator("main").inner_text()

    _section(navigator, "Contract")
    navigator.get_by_role("link", name="View the contract").click()
    navigator.check()
    navigator.locator("summary", has_text="Vary the contract").click()
    navigator.get_by_label("Why is the contract being varied?").fill("The hub has a waiting list")
    navigator.get_by_label("Extend the term by").select_option(label="4 weeks")
    navigator.get_by_label("The person consents to the variation").check()
    navigator.submit("Start the variation")
    assert "Variation of version 1" in navigator.locator("main").inner_text()
    navigator.get_by_label("Agrees to the contract").check()
    navigator.submit("Record the answer")

    # While the variation waits for approval, version 1 stays in force: progress is still recorded.
    navigator.visit(contract_path.replace("/contract/", "/contract-summary"))
    assert "Version 1 stays in force until it is signed" in navigator.locator("main").inner_text()
    navigator.get_by_role("link", name="Record progress for condition 2").click()
    navigator.check()
    navigator.get_by_label("When").fill(local(live_server.clock.now()).strftime("%d/%m/%Y"))
    navigator.get_by_label("Sessions or hours done").fill("4")
    navigator.get_by_label("Confirmation from the partner").check()
    navigator.submit("Record progress")
    assert "10 of 24 hours" in navigator.get_by_role("region", name="Progress against each condition").inner_text()

    supervisor.locator(".moj-primary-navigation").get_by_role("link", name="Team overview").click()
    supervisor.check()
    supervisor.locator("#waiting-variation").get_by_role("link", name=re.compile(reference)).click()
    supervisor.check()
    supervisor.submit("Approve the variation")
    assert "Variation approved" in supervisor.locator(".govuk-notification-banner").inner_text()
    supervisor.get_by_role("link", name="Record the signatures").click()
    supervisor.check()
    _fill_signing(
        supervisor, live_server, signature="Signed the paper copy (scan to be filed)", copy="Emailed to the person"
    )
    supervisor.get_by_label("Risk accepted").fill(
        "Extended for the course; the victim knows a late breach may not be charged."
    )
    supervisor.submit("Record the signatures")
    assert not supervisor.locator(".govuk-error-summary").count()

    navigator.visit(contract_path.replace("/contract/", "/contract-summary"))
    conditions = navigator.get_by_role("region", name="Progress against each condition").inner_text()
    assert "10 of 24 hours" in conditions  # carried over to the variation
    navigator.get_by_role("link", name="View the contract").click()
    navigator.check()
    assert "In force: version 2" in navigator.locator("main").inner_text()
    assert "Version 1: superseded" in navigator.locator("main").inner_text()

    supervisor.visit(navigator.url.replace(live_server.url, "").replace("/contract/", "/contract-summary"))
    supervisor.get_by_role("link", name="Record progress for condition 2").click()
    supervisor.check()
    supervisor.submit("Record the decision")  # nothing chosen: errors by the fields
    assert supervisor.title().startswith("Error: ")


def _heading(page) -> str:
    return page.locator("h1").inner_text()


def _no_need(page) -> None:
    page.locator("input[name=need_level][value='0']").check()
    page.locator("input[name=linked_to_offending][value='no']").check()
    page.submit("Save and continue")


def _needs_assessment(navigator) -> None:
    """Through the task list: a domain with a mistake put right, leaving and resuming, the rest of
    the domains, the safeguarding flags, a change from check your answers, then completion."""
    navigator.get_by_role("link", name="Record the needs assessment").click()
    navigator.check()
    navigator.submit("Start the assessment")
    assert "completed 0 of 16 sections" in navigator.locator("main").inner_text()
    navigator.get_by_role("link", name="Drug misuse", exact=True).click()
    navigator.check()
    navigator.submit("Save and continue")
    assert navigator.title().startswith("Error: ")
    assert "Select the level of need for drug misuse" in navigator.locator("#need_level-error").inner_text()
    navigator.get_by_label("High").check()
    navigator.locator("input[name=linked_to_offending][value='yes']").check()
    navigator.get_by_label("The person's own priority (optional)").fill("1")
    navigator.submit("Save and continue")
    assert "Drug misuse saved." in navigator.locator(".govuk-notification-banner").inner_text()
    assert _heading(navigator) == "Alcohol misuse"

    navigator.get_by_role("link", name="Back to the task list").click()
    navigator.check()
    assert "completed 1 of 16 sections" in navigator.locator("main").inner_text()
    navigator.get_by_role("link", name=re.compile("^Continue where you left off")).click()
    navigator.check()
    while _heading(navigator) != "Safeguarding and risk":
        _no_need(navigator)
    navigator.get_by_role("checkbox", name="Risk of self-harm").check()
    navigator.submit("Save and continue")
    assert "Record the action taken for: risk of self-harm" in navigator.locator(".govuk-error-summary").inner_text()
    navigator.get_by_label("Action taken for: risk of self-harm").fill("Same-day referral to the crisis team")
    navigator.submit("Save and continue")
    while _heading(navigator) != "Check your answers":
        _no_need(navigator)

    navigator.get_by_role("link", name="Change drug misuse").click()
    navigator.check()
    assert navigator.get_by_label("High").is_checked()
    navigator.get_by_label("The person consents to a referral for this").check()
    navigator.submit("Save and continue")
    assert _heading(navigator) == "Check your answers"
    assert "Same-day referral to the crisis team" in navigator.locator("main").inner_text()
    navigator.submit("Complete the assessment")
    assert "The entry assessment is complete." in navigator.locator(".govuk-notification-banner").inner_text()
    assert "Drug misuse: high need" in navigator.locator("main").inner_text()
    navigator.get_by_role("link", name="entry needs assessment").click()
    navigator.check()
    assert "A completed assessment cannot be changed." in navigator.locator("main").inner_text()
    navigator.get_by_role("link", name="Back to the needs").click()
    navigator.check()
