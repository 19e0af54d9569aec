"""The completion letter for the person (en/cy): rendered from the recorded outcome on first issue,
stored once per language (services/letters.py), and every download audited as a disclosure."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from casework.domain.errors import IllegalTransition, NotFound
from casework.domain.lifecycle import CaseState
from casework.domain.outcome_codes import Route
from casework.domain.roles import Action
from casework.models import Case, CaseLetter, CaseOutcome, Offence, User
from casework.services import access, completion, contracts, letters, schemes
from casework.services.completion_sign_off import outcome_for
from contracts import CompletionLetter, RenderedDocument, render_completion_letter

KIND = "completion"
LANGUAGES = ("en", "cy")


def completion_outcome(session: Session, *, case: Case) -> CaseOutcome:
    """The recorded completion, or the reason there is no letter yet."""
    outcome = outcome_for(session, case=case)
    if case.case_state is not CaseState.COMPLETED or outcome is None or outcome.outcome_route is not Route.COMPLETION:
        raise IllegalTransition("There is no completion letter until a supervisor has signed off the completion.")
    return outcome


def download(session: Session, *, actor: User, case: Case, language: str, now: datetime) -> CaseLetter:
    """The stored letter in this language (issued now if this is its first download), audited."""
    access.require(actor, Action.VIEW_CASE, team_id=case.team_id)
    if language not in LANGUAGES:
        raise NotFound("There is no completion letter in that language.")
    outcome = completion_outcome(session, case=case)
    letter = letters.issue(
        session,
        case=case,
        kind=KIND,
        subject_id=outcome.id,
        language=language,
        render=lambda: _render(session, case=case, outcome=outcome, language=language),
        actor=actor,
        now=now,
    )
    letters.record_download(
        session, actor=actor, case=case, letter=letter, recipient="the person", purpose="completion letter", now=now
    )
    return letter


def _render(session: Session, *, case: Case, outcome: CaseOutcome, language: str) -> RenderedDocument:
    settings = schemes.settings_on(session, outcome.effective_on)
    contract = contracts.in_force(session, case=case)
    return render_completion_letter(
        CompletionLetter(
            case_reference=case.reference,
            crime_reference=case.crime_reference or "",
            person_name=case.person.full_name,
            offences=tuple(_offence_title(link.offence, language) for link in case.offences),
            starts_on=contract.starts_on,
            ends_on=completion.end_date(session, case=case),  # with any days paused
            completed_on=outcome.effective_on,
            decided_at=outcome.decided_at,
            outcome_code=outcome.code,
            outcome_label=outcome.outcome_code.label,
            team_name=case.team.name,
            team_phone=case.team.phone or "",
            team_email=case.team.email or "",
            scheme_name=settings.scheme_name,
            force_name=settings.force_name,
            retention_years=settings.retention_years,
            language=language,
        )
    )


def _offence_title(offence: Offence, language: str) -> str:
    """The Welsh title on a Welsh letter; an offence added without one keeps its English title."""
    return (offence.title_cy or offence.title) if language == "cy" else offence.title
