"""The decision letter to the person (DOMAIN.md §7.2 step 5): the prosecution decision and its
reasons in plain words, in their language. Rendered the first time it is asked for and kept, one
per outcome and language; every download is an audited disclosure."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from casework.domain.clock import local
from casework.domain.errors import NotFound, NotPermitted
from casework.domain.outcome_codes import Route
from casework.domain.roles import Action
from casework.models import Case, User
from casework.models.letters import CaseLetter
from casework.models.outcomes import CaseOutcome
from casework.services import access, case_outcomes, letters, schemes
from contracts.decision_letter import ROUTES, DecisionLetter, render_decision_letter

LANGUAGES = ("en", "cy")


def may_download(actor: User, case: Case) -> bool:
    """The decision makers, and the navigator team who hand the letter over."""
    return any(
        access.can(actor, action, team_id=case.team_id)
        for action in (Action.RECORD_PROSECUTION_DECISION, Action.VIEW_CASE)
    )


def decision_outcome(session: Session, *, actor: User, case: Case) -> CaseOutcome:
    if not may_download(actor, case):
        raise NotPermitted("You do not have permission to do that.")
    outcome = case_outcomes.outcome_for(session, case=case)
    if outcome is None or outcome.route not in ROUTES:
        raise NotFound("There is no prosecution decision on this case.")
    return outcome


def download(session: Session, *, actor: User, case: Case, language: str | None, now: datetime) -> CaseLetter:
    outcome = decision_outcome(session, actor=actor, case=case)
    chosen = language if language in LANGUAGES else case.person.preferred_language
    chosen = chosen if chosen in LANGUAGES else "en"
    letter = letters.issue(
        session,
        case=case,
        kind="decision",
        subject_id=outcome.id,
        language=chosen,
        render=lambda: render_decision_letter(letter_for(session, case=case, outcome=outcome, language=chosen)),
        actor=actor,
        now=now,
    )
    letters.record_download(
        session, actor=actor, case=case, letter=letter, recipient="the person", purpose="decision letter", now=now
    )
    return letter


def letter_for(session: Session, *, case: Case, outcome: CaseOutcome, language: str) -> DecisionLetter:
    decided_on = local(outcome.decided_at).date()
    settings = schemes.settings_on(session, decided_on)
    person = case.person
    welsh = language == "cy"
    return DecisionLetter(
        scheme_name=settings.scheme_name,
        force_name=settings.force_name,
        case_reference=case.reference,
        crime_reference=case.crime_reference or "",
        person_name=person.full_name,
        address_lines=tuple(
            x for x in (person.address_line_1, person.address_line_2, person.town, person.postcode) if x
        ),
        offences=tuple(
            (link.offence.title_cy or link.offence.title) if welsh else link.offence.title for link in case.offences
        ),
        route=outcome.route,
        code=outcome.code,
        decided_at=outcome.decided_at,
        decided_on=decided_on,
        decision_maker=outcome.decided_by.full_name,
        rationale=outcome.rationale,
        team_name=case.team.name,
        team_phone=case.team.phone or "",
        team_email=case.team.email or "",
        charge_wording=outcome.charge_wording or "" if outcome.outcome_route is Route.CHARGED else "",
        charged_on=outcome.charged_on,
        court_date=outcome.court_date,
        language=language,
    )
