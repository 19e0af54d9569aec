"""The decision letter (English and Welsh) and the breach file: what each says, that each is stored
and served again byte for byte, and that every download is audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from casework.domain.errors import NotFound, NotPermitted
from casework.domain.lifecycle import CaseEvent, CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, Breach, BreachWarning, CaseLetter
from casework.services import breach_file, case_notes, check_ins, decision_letters, prosecution, transitions
from tests.conftest import NOW, make_user
from tests.contracts.pdf_structure import content_text
from tests.prosecution_cases import RATIONALE, waiting_case
from tests.services.test_contract_documents import _with_offence
from tests.services.test_contract_signing import _agree_and_sign, _draft

LATER = NOW + timedelta(days=20)
WORDING = "On 3 August 2026 at Durham assaulted Sam Jones by beating."


def _has(text: str, phrase: str) -> bool:
    return "".join(phrase.split()) in text


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team, full_name="Robin Ellis")


def _decide(session, actor, case, route, code=None, **charge):
    return prosecution.record_decision(
        session,
        actor=actor,
        case=case,
        route=route,
        code=code,
        rationale=RATIONALE,
        seen_version=case.version,
        now=NOW,
        **charge,
    )


def _letter_text(session, actor, case, language=None) -> tuple[str, CaseLetter]:
    letter = decision_letters.download(session, actor=actor, case=case, language=language, now=NOW)
    return content_text(letter.pdf), letter


# ---- the decision letter -------------------------------------------------------------------------


def test_a_charge_letter_in_english_gives_the_charge_the_court_date_and_the_reasons(session, team, supervisor):
    case = waiting_case(session, team)
    _decide(
        session,
        supervisor,
        case,
        "charged",
        charge_wording=WORDING,
        charged_on=date(2026, 11, 23),
        court_date=date(2026, 12, 14),
    )
    text, letter = _letter_text(session, supervisor, case)
    for phrase in [
        "The decision on your case",
        "You are being prosecuted for the offence.",
        "charged, or sent a written charge and a postal requisition, on 23 November 2026",
        WORDING,
        "You must go to the magistrates' court on 14 December 2026.",
        "Robin Ellis made the decision and gave these reasons:",
        RATIONALE,
        "Common assault",
        case.reference,
    ]:
        assert _has(text, phrase), phrase
    assert (letter.kind, letter.language, letter.subject_id) == (
        "decision",
        "en",
        prosecution_outcome_id(session, case),
    )


def prosecution_outcome_id(session, case) -> int:
    from casework.services import case_outcomes

    return case_outcomes.outcome_for(session, case=case).id


def test_a_charge_letter_in_welsh_for_a_welsh_speaker(session, team, supervisor):
    case = waiting_case(session, team)
    case.person.preferred_language = "cy"
    _decide(session, supervisor, case, "charged", charge_wording=WORDING, charged_on=date(2026, 11, 23))
    text, letter = _letter_text(session, supervisor, case)
    assert letter.language == "cy"
    for phrase in [
        "Y penderfyniad ar eich achos",
        "Rydych yn cael eich erlyn am y drosedd.",
        "ar 23 Tachwedd 2026",
        "Cewch wybod y dyddiad y mae'n rhaid i chi fynd i'r llys.",
        "Robin Ellis a wnaeth y penderfyniad",
        "Ymosodiad cyffredin",
    ]:
        assert _has(text, phrase), phrase
    assert not _has(text, "You are being prosecuted")
    english, copy = _letter_text(session, supervisor, case, language="en")
    assert copy.language == "en" and _has(english, "You will be told the date you must go to court.")


@pytest.mark.parametrize(
    ("route", "code", "english", "welsh"),
    [
        ("alternative", 3, "a formal outcome other than prosecution (Outcome 3)", "(Canlyniad 3)"),
        (
            "no_further_action",
            10,
            "prosecuting you is not in the public interest",
            "nad yw eich erlyn er budd y cyhoedd",
        ),
        ("evidential", 16, "there is not enough evidence to prosecute you", "nad oes digon o dystiolaeth i'ch erlyn"),
    ],
)
def test_each_other_decision_is_put_plainly_in_both_languages(session, team, supervisor, route, code, english, welsh):
    case = waiting_case(session, team)
    _decide(session, supervisor, case, route, code=code)
    assert _has(_letter_text(session, supervisor, case, "en")[0], english)
    assert _has(_letter_text(session, supervisor, case, "cy")[0], welsh)


def test_a_time_barred_letter_in_both_languages(session, team, supervisor):
    case = waiting_case(session, team, offence_on=date(2026, 5, 1))
    _decide(session, supervisor, case, "time_barred")
    assert _has(_letter_text(session, supervisor, case, "en")[0], "The time the law allows to start a prosecution")
    assert _has(_letter_text(session, supervisor, case, "cy")[0], "Ni fyddwch yn cael eich erlyn am y drosedd.")


def test_the_letter_is_stored_once_and_each_download_is_audited(session, team, supervisor):
    case = waiting_case(session, team)
    _decide(session, supervisor, case, "evidential", code=15)
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    _, first = _letter_text(session, supervisor, case)
    _, again = _letter_text(session, navigator, case)
    assert first.id == again.id
    downloads = session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "letter.pdf_downloaded")
    ).all()
    assert [(e.actor_id, e.detail["kind"], e.detail["sha256"]) for e in downloads] == [
        (supervisor.id, "decision", first.sha256),
        (navigator.id, "decision", first.sha256),
    ]


def test_no_letter_before_a_decision_and_none_for_another_team(session, team, other_team, supervisor):
    case = waiting_case(session, team)
    with pytest.raises(NotFound):
        decision_letters.download(session, actor=supervisor, case=case, language=None, now=NOW)
    _decide(session, supervisor, case, "evidential", code=15)
    with pytest.raises(NotPermitted):
        decision_letters.download(
            session,
            actor=make_user(session, roles=[Role.SUPERVISOR], team=other_team),
            case=case,
            language=None,
            now=NOW,
        )


# ---- the breach file -----------------------------------------------------------------------------


def _breached(session, team, supervisor):
    """A signed contract, a missed check-in recorded as a breach with a formal warning, then withdrawal."""
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team, full_name="Grace Johnson")
    case, contract = _draft(
        session, team, navigator, latest_charge_on=date(2027, 5, 20), decision_deadline_on=date(2027, 4, 29)
    )
    _with_offence(session, case)
    _agree_and_sign(session, navigator, case, contract)
    missed = check_ins.for_case(session, case=case)[0]
    missed.scheduled_at = NOW + timedelta(days=7)
    missed.outcome, missed.outcome_recorded_at, missed.outcome_recorded_by_id = (
        "unacceptable_absence",
        NOW + timedelta(days=9),
        navigator.id,
    )
    breach = Breach(
        case_id=case.id,
        kind="unacceptable_absence",
        status="warned",
        occurred_on=(NOW + timedelta(days=7)).date(),
        summary="Did not attend the check-in and gave no reason.",
        raised_by_id=navigator.id,
        raised_at=NOW + timedelta(days=9),
        contract_id=contract.id,
        check_in_id=missed.id,
        explanation="Said the bus did not come.",
        evidence={
            "condition_wording": "Do not offend again.",
            "days_left": 75,
            "reminders": ["email sent 48 hours before"],
        },
    )
    session.add(breach)
    session.flush()
    session.add(
        BreachWarning(
            case_id=case.id,
            breach_id=breach.id,
            level="formal",
            reason="First unacceptable absence.",
            issued_by_id=navigator.id,
            issued_at=NOW + timedelta(days=10),
            language="en",
        )
    )
    session.flush()
    transitions.move(session, case, CaseEvent.WITHDRAW_CONSENT, actor=supervisor, now=LATER)
    assert case.case_state is CaseState.PROSECUTION_DECISION
    return case


def test_the_breach_file_holds_the_record_the_prosecution_needs(session, team, supervisor):
    case = _breached(session, team, supervisor)
    letter = breach_file.download(session, actor=supervisor, case=case, now=LATER)
    text = content_text(letter.pdf)
    for phrase in [
        f"Breach file: {case.person.full_name}",
        "Latest charge date (s.127) 20 May 2027",
        "Decision deadline 29 April 2027",
        "Margin left on 14 December 2026 157 days to the latest charge date",
        "Common assault",
        "Summary only",
        "Version 1 (signed)",
        "Do not offend again.",
        "Unacceptable absence",
        "Did not attend the check-in and gave no reason.",
        "Said the bus did not come.",
        "Condition wording Do not offend again.",
        "Reminders email sent 48 hours before",
        "First unacceptable absence.",
        "Grace Johnson",
        "Prosecution decision Not yet recorded.",
    ]:
        assert _has(text, phrase), phrase
    assert (letter.kind, letter.language) == ("breach_file", "en")


def test_the_file_is_kept_until_the_record_changes_and_then_prepared_again(session, team, supervisor):
    case = _breached(session, team, supervisor)
    first = breach_file.download(session, actor=supervisor, case=case, now=LATER)
    assert breach_file.download(session, actor=supervisor, case=case, now=LATER + timedelta(hours=1)).id == first.id
    _decide(session, supervisor, case, "evidential", code=15)
    decided = breach_file.download(session, actor=supervisor, case=case, now=LATER + timedelta(hours=2))
    assert decided.id != first.id
    text = content_text(decided.pdf)
    assert _has(text, "Outcome 15: Evidential difficulties") and _has(text, RATIONALE)
    case_notes.add_note(session, actor=supervisor, case=case, body="File sent to the OIC.", now=LATER)
    assert breach_file.download(session, actor=supervisor, case=case, now=LATER).id != decided.id
    downloads = session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "letter.pdf_downloaded")
    ).all()
    assert len(downloads) == 4 and {e.detail["recipient"] for e in downloads} == {"the prosecution file"}


def test_the_breach_file_is_for_the_teams_staff_only(session, team, other_team, supervisor):
    case = waiting_case(session, team)
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    assert _has(
        content_text(breach_file.download(session, actor=sergeant, case=case, now=NOW).pdf), "No breach was recorded."
    )
    with pytest.raises(NotFound):
        breach_file.download(
            session, actor=make_user(session, roles=[Role.SUPERVISOR], team=other_team), case=case, now=NOW
        )
    with pytest.raises(NotPermitted):
        breach_file.download(
            session, actor=make_user(session, roles=[Role.ADMINISTRATOR], team=team), case=case, now=NOW
        )
