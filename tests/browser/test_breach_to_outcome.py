"""The loop the scheme exists for, in the browser: a supervisor decides a breach raised by a missed
check-in, terminates another case and records the charge, and signs off a completion with Outcome 22;
each produces its letter or file, and axe checks every page on the way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from casework.domain.clock import local_today
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Case, CheckIn, Team, User
from casework.services import breaches, check_in_outcomes, completion
from casework.services.check_in_outcomes import OutcomeRecord
from tests.breaches import new_offence
from tests.browser.test_journeys import _sign_in
from tests.check_ins import make_check_in
from tests.conftest import NOW, make_case, make_contract

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Cases:
    missed: str  # a second missed check-in has sent its breach to review
    offending: str  # a new offence reported, in review
    finished: str  # the term has ended with every condition met, in completion review


def _running(session, navigator: User, *, ended: bool = False) -> Case:
    today = local_today(NOW)
    case = make_case(
        session,
        team=session.get(Team, navigator.team_id),
        state=CaseState.ACTIVE,
        navigator_id=navigator.id,
        latest_charge_on=today + timedelta(days=60),
        decision_deadline_on=today + timedelta(days=39),
        first_contact_at=NOW - timedelta(days=130),
    )
    starts = today - timedelta(days=120 if ended else 30)
    contract = make_contract(
        session, case=case, created_by=navigator, starts_on=starts, ends_on=today if ended else today + timedelta(90)
    )
    if ended:
        contract.conditions[1].status = "met"
    session.flush()
    return case


def _miss(session, case: Case, navigator: User, days_ago: int) -> None:
    """A check-in the person missed and did not explain, classified as unacceptable by the navigator."""
    check_in = make_check_in(session, case=case, at=NOW - timedelta(days=days_ago))
    check_in_outcomes.record_outcome(
        session,
        actor=navigator,
        case=case,
        check_in=check_in,
        record=OutcomeRecord(outcome="pending_explanation", note="Not in."),
        seen_version=check_in.version,
        now=check_in.scheduled_at + timedelta(minutes=40),
    )
    check_in_outcomes.classify_absence(
        session,
        actor=navigator,
        case=case,
        check_in=check_in,
        record=OutcomeRecord(outcome="unacceptable_absence", absence_detail="No reason given."),
        seen_version=check_in.version,
        now=check_in.scheduled_at + timedelta(days=1),
    )


@pytest.fixture(scope="module")
def cases(live_server) -> Cases:
    with live_server.sessions() as session:
        navigator = session.scalar(select(User).where(User.username == live_server.users[Role.NAVIGATOR]))
        missed = _running(session, navigator)
        _miss(session, missed, navigator, days_ago=15)
        _miss(session, missed, navigator, days_ago=8)
        offending = _running(session, navigator)
        breaches.record_new_offence(
            session, actor=navigator, case=offending, report=new_offence(), seen_version=offending.version, now=NOW
        )
        finished = _running(session, navigator, ended=True)
        completion.request_review(
            session, actor=navigator, case=finished, seen_version=finished.version, now=NOW - timedelta(hours=2)
        )
        session.commit()
        assert [c.case_state for c in (missed, offending, finished)] == [
            CaseState.BREACH_REVIEW,
            CaseState.BREACH_REVIEW,
            CaseState.COMPLETION_REVIEW,
        ]
        assert session.scalar(select(CheckIn.id).where(CheckIn.case_id == missed.id)) is not None
        return Cases(missed.reference, offending.reference, finished.reference)


def _text(download) -> str:
    """The PDF's text without spaces: extraction splits some kerned words ("T wo")."""
    return "".join("".join(page.extract_text().split()) for page in PdfReader(download.value.path()).pages)


def _squashed(text: str) -> str:
    return "".join(text.split())


def _decide(page, reference: str, decision: str, rationale: str) -> None:
    page.visit("/breaches")
    page.get_by_role("link", name=f"Decide the breach on {reference}").click()
    page.check()
    page.get_by_label(decision, exact=True).check()
    page.get_by_label("Why have you decided this?").fill(rationale)
    page.submit("Record the decision")


def _download(page, link_name: str) -> str:
    with page.page.expect_download() as download:
        page.get_by_role("link", name=link_name).click()
    return _text(download)


def test_a_supervisor_decides_a_breach_terminates_a_case_for_charge_and_signs_off_a_completion(
    make_page, live_server, cases
):
    supervisor = make_page()
    _sign_in(supervisor, live_server.users[Role.SUPERVISOR])
    home = supervisor.locator("main").inner_text()
    assert "Breaches awaiting your decision (2)" in home

    # A breach raised by the second missed check-in: a final warning, and its letter.
    _decide(supervisor, cases.missed, "Final warning", "Two check-ins missed in a week without a reason.")
    assert supervisor.title().startswith(("Overview", "Breaches")), supervisor.title()
    supervisor.get_by_role("navigation", name="Case sections").get_by_role("link", name="Breaches").click()
    supervisor.check()
    letter = _download(supervisor, "Download the final warning letter for this breach (English, PDF)")
    assert _squashed("This is your final warning.") in letter
    assert _squashed("Two check-ins missed in a week without a reason.") in letter
    assert "live breach" not in supervisor.locator("main").inner_text().lower()

    # A new offence: terminated, then the charge recorded; the breach file and the decision letter.
    _decide(supervisor, cases.offending, "Terminate the contract", "Charged with a further theft while on the scheme.")
    assert "Prosecution decision" in supervisor.locator("main").inner_text()
    supervisor.get_by_role("link", name="Record the prosecution decision").click()
    supervisor.check()
    supervisor.get_by_label("Charged or postal requisition").check()
    supervisor.get_by_label("Charge wording").fill("Theft from a shop, contrary to section 1 of the Theft Act 1968.")
    supervisor.get_by_label("Date of the charge or postal requisition").fill("24/11/2026")
    supervisor.get_by_label("Why was this decision made?").fill(
        "A further offence during the contract; the evidence supports a charge."
    )
    supervisor.submit("Record the decision")
    panel = supervisor.locator("main").inner_text()
    assert "Closed: charged" in panel and "1: Charged / summonsed" in panel
    assert "Contract terminated by the supervisor's breach decision: Charged with a further theft" in panel
    breach_file = _download(supervisor, "Breach file for the prosecution file (PDF)")
    assert cases.offending in breach_file and _squashed("Theft from a shop") in breach_file
    decision_letter = _download(supervisor, next(t for t in _link_texts(supervisor) if t.startswith("Decision letter")))
    assert _squashed("A further offence during the contract") in decision_letter

    # The completion: signed off with Outcome 22, and the completion letter.
    supervisor.visit("/")
    supervisor.get_by_role("link", name=cases.finished).first.click()
    supervisor.check()
    supervisor.get_by_role("link", name="Go to completion").click()
    supervisor.check()
    supervisor.get_by_label("Why is the contract complete?").fill("Every condition met and no breach recorded.")
    supervisor.get_by_label("If the exit needs assessment was not done, why not?").fill(
        "The person moved away before the last appointment."
    )
    supervisor.submit("Sign off the completion")
    outcome = supervisor.locator("#completion-outcome").inner_text()
    assert "22" in outcome
    completion_letter = _download(supervisor, next(t for t in _link_texts(supervisor) if "letter" in t.lower()))
    assert _squashed("no further action") in completion_letter.lower() and "DBS" in completion_letter

    with live_server.sessions() as session:
        states = {c.reference: c.case_state for c in session.scalars(select(Case))}
    assert states[cases.missed] is CaseState.ACTIVE
    assert states[cases.offending] is CaseState.CLOSED_CHARGED
    assert states[cases.finished] is CaseState.COMPLETED


def _link_texts(page) -> list[str]:
    return [text.strip() for text in page.locator("main a").all_inner_texts()]
