"""The navigator's formal warning or referral for a first failure, and the warning letter for any
warning: guarded, version-checked, audited, in the person's language, stored once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.domain.breaches import BreachStatus, ReviewReason
from casework.domain.check_ins import Outcome
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, NotPermitted, StaleRecord
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, BreachWarning, CaseLetter, StaffNotification
from casework.services import breach_raising, breach_warnings, breaches, check_in_outcomes
from casework.services.check_in_outcomes import OutcomeRecord
from tests.breaches import TODAY, new_offence, running_case
from tests.check_ins import make_check_in, marked_missed
from tests.conftest import NOW, make_user
from tests.contracts.pdf_structure import content_text

REASON = "Missed the check-in and gave no reason when we called the next day."


@pytest.fixture
def world(session, team):
    return running_case(session, team=team, email="person@example.org")


def _first_failure(session, world, days_ago=3):
    check_in = marked_missed(
        make_check_in(session, case=world.case, at=NOW - timedelta(days=days_ago), by=world.navigator), due=TODAY
    )
    session.flush()
    check_in_outcomes.classify_absence(
        session,
        actor=world.navigator,
        case=world.case,
        check_in=check_in,
        record=OutcomeRecord(outcome=Outcome.UNACCEPTABLE_ABSENCE.value, absence_detail="No reason given."),
        seen_version=check_in.version,
        now=NOW,
    )
    return breach_raising.raised_for(session, check_in=check_in)


def _warn(session, world, breach, *, actor=None, reason=REASON, delivery="post", seen=None):
    return breach_warnings.give_warning(
        session,
        actor=actor or world.navigator,
        case=world.case,
        breach=breach,
        reason=reason,
        delivery=delivery,
        seen_version=breach.version if seen is None else seen,
        now=NOW,
    )


def _refer(session, world, breach, *, seen=None):
    return breach_warnings.refer_to_supervisor(
        session,
        actor=world.navigator,
        case=world.case,
        breach=breach,
        reason="The person has stopped answering calls; I think the supervisor should look now.",
        seen_version=breach.version if seen is None else seen,
        now=NOW,
    )


def _audited(session, case, action) -> int:
    return len(
        session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == action)).all()
    )


def test_a_formal_warning_deals_with_a_first_failure(session, world):
    breach = _first_failure(session, world)
    warning = _warn(session, world, breach, delivery="email")
    assert breach.breach_status is BreachStatus.WARNED
    assert (warning.level, warning.reason, warning.delivery, warning.language) == ("formal", REASON, "email", "en")
    assert world.case.case_state is CaseState.ACTIVE
    assert _audited(session, world.case, "breach.warning_given") == 1


def test_a_warning_needs_a_reason_and_how_the_letter_is_given(session, world):
    breach = _first_failure(session, world)
    with pytest.raises(FieldErrors) as refused:
        _warn(session, world, breach, reason=" ", delivery="")
    assert {p.field for p in refused.value.problems} == {"reason", "delivery"}
    assert breach.breach_status is BreachStatus.OPEN


def test_no_email_letter_for_a_person_without_an_email_address(session, team):
    world = running_case(session, team=team, email=None)
    breach = _first_failure(session, world)
    with pytest.raises(FieldError, match="no email address"):
        _warn(session, world, breach, delivery="email")


def test_a_breach_is_warned_once_and_not_once_in_review(session, world):
    breach = _first_failure(session, world)
    _warn(session, world, breach)
    with pytest.raises(IllegalTransition, match="already been given"):
        _warn(session, world, breach)
    with pytest.raises(IllegalTransition, match="already been given"):
        _refer(session, world, breach)
    offence = breaches.record_new_offence(
        session, actor=world.navigator, case=world.case, report=new_offence(), seen_version=world.case.version, now=NOW
    )
    with pytest.raises(IllegalTransition, match="supervisor's decision"):
        _warn(session, world, offence)


def test_a_warning_on_a_breach_changed_since_the_page_was_opened_is_refused(session, world):
    breach = _first_failure(session, world)
    with pytest.raises(StaleRecord):
        _warn(session, world, breach, seen=breach.version + 1)
    assert breach.breach_status is BreachStatus.OPEN


def test_only_the_team_may_warn(session, world, other_team):
    breach = _first_failure(session, world)
    for outsider in (
        make_user(session, roles=[Role.NAVIGATOR], team=other_team),
        make_user(session, roles=[Role.CUSTODY_SERGEANT], team=world.team),
    ):
        with pytest.raises(NotFound if outsider.team_id != world.team.id else NotPermitted):
            _warn(session, world, breach, actor=outsider)


def test_a_referral_sends_the_first_failure_to_the_supervisor(session, world):
    breach = _first_failure(session, world)
    _refer(session, world, breach)
    assert breach.breach_status is BreachStatus.REVIEW
    assert (
        breach.review_reason == ReviewReason.REFERRED_BY_NAVIGATOR
        and breach.review_requested_by_id == world.navigator.id
    )
    assert "stopped answering" in breach.evidence["referral_note"]
    assert world.case.case_state is CaseState.BREACH_REVIEW
    assert _audited(session, world.case, "breach.referred") == 1
    assert session.scalar(select(StaffNotification).where(StaffNotification.user_id == world.supervisor.id))
    with pytest.raises(IllegalTransition):
        _refer(session, world, breach)


def test_a_second_failure_after_a_warning_goes_to_review(session, world):
    _warn(session, world, _first_failure(session, world, days_ago=10))
    assert _first_failure(session, world, days_ago=3).review_reason == ReviewReason.REPEATED_FAILURE


def _letter(session, world, warning):
    return breach_warnings.warning_letter(
        session, actor=world.navigator, case=world.case, warning_id=warning.id, now=NOW
    )


def test_the_letter_is_rendered_once_linked_to_the_warning_and_each_download_audited(session, world):
    warning = _warn(session, world, _first_failure(session, world))
    first = _letter(session, world, warning)
    again = _letter(session, world, warning)
    assert first.id == again.id and warning.letter_id == first.id and first.kind == "warning"
    assert len(session.scalars(select(CaseLetter).where(CaseLetter.case_id == world.case.id)).all()) == 1
    assert _audited(session, world.case, "letter.pdf_downloaded") == 2
    text = content_text(first.pdf)
    assert "formalwarning" in text and world.case.person.full_name.replace(" ", "") in text


def test_a_final_warning_from_a_supervisors_decision_has_its_own_letter_in_welsh(session, team):
    world = running_case(session, team=team, preferred_language="cy")
    breach = _first_failure(session, world)
    final = BreachWarning(
        case_id=world.case.id,
        breach_id=breach.id,
        level="final",
        reason="Ail fethiant heb reswm.",
        issued_by_id=world.supervisor.id,
        issued_at=NOW,
        language="cy",
    )
    session.add(final)
    session.flush()
    letter = breach_warnings.warning_letter(
        session, actor=world.supervisor, case=world.case, warning_id=final.id, now=NOW
    )
    assert (letter.kind, letter.language) == ("final_warning", "cy")
    assert "Dymaeichrhybuddterfynol" in content_text(letter.pdf)


def test_a_custody_sergeant_cannot_download_a_warning_letter(session, world):
    warning = _warn(session, world, _first_failure(session, world))
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=world.team)
    with pytest.raises(NotPermitted):
        breach_warnings.warning_letter(session, actor=sergeant, case=world.case, warning_id=warning.id, now=NOW)
