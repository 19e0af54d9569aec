"""The navigator's answer to a first failure (DOMAIN.md §7.2, rule 1): a formal warning, with a
letter to the person in their language, or a referral to the supervisor. And the warning letter
itself, for a formal warning or a supervisor's final warning alike: rendered on its first download,
stored, and every download audited as a disclosure."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from casework.domain.breaches import BreachStatus, Delivery, ReviewReason, WarningLevel
from casework.domain.clock import local_today
from casework.domain.errors import FieldError, FieldErrors, IllegalTransition, NotFound, StaleRecord
from casework.domain.roles import Action
from casework.models import Breach, BreachWarning, Case, CaseLetter, CheckIn, User
from casework.services import access, audit, breach_escalation, breach_status, letters, schemes
from casework.services.concurrency import flush_or_stale, stale_message
from contracts import RenderedDocument, WarningLetter, render_warning_letter

MIN_REASON = 10
MAX_TEXT = 4000
LETTER_KINDS = {WarningLevel.FORMAL: "warning", WarningLevel.FINAL: "final_warning"}


def _stale(breach: Breach) -> StaleRecord:
    return StaleRecord(stale_message("this breach"), case_id=breach.case_id)


def answerable(breach: Breach, *, case: Case) -> None:
    """Whether the navigator can still warn or refer this breach, or the reason not."""
    if breach.case_id != case.id:
        raise NotFound("There is no such breach on this case.")
    breach_escalation.require_running(case)
    status = breach.breach_status
    if status is BreachStatus.REVIEW:
        raise IllegalTransition("This breach is waiting for a supervisor's decision, so it is theirs to deal with now.")
    if status is BreachStatus.WARNED:
        raise IllegalTransition("A formal warning has already been given for this breach.")
    if status is BreachStatus.DECIDED:
        raise IllegalTransition("A supervisor has already decided this breach.")
    if not breach.breach_kind.is_failure:
        raise IllegalTransition("Only a missed check-in or a condition not met can be met with a formal warning.")


def _reason(reason: str, problems: list[FieldError], *, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        problems.append(FieldError("reason", missing))
    elif len(reason) < MIN_REASON:
        problems.append(FieldError("reason", f"Write at least {MIN_REASON} characters"))
    elif len(reason) > MAX_TEXT:
        problems.append(FieldError("reason", f"Write {MAX_TEXT} characters or fewer"))
    return reason


def give_warning(
    session: Session,
    *,
    actor: User,
    case: Case,
    breach: Breach,
    reason: str,
    delivery: str,
    seen_version: int,
    now: datetime,
) -> BreachWarning:
    """A formal warning for a first failure: the breach is dealt with (status "warned"), and the
    letter in the person's language is ready to download and send the way recorded here."""
    access.require(actor, Action.ISSUE_WARNING, team_id=case.team_id)
    answerable(breach, case=case)
    if breach.version != seen_version:
        raise _stale(breach)
    problems: list[FieldError] = []
    reason = _reason(reason, problems, missing="Write why the person is being warned: the letter tells them")
    if delivery not in {d.value for d in Delivery}:
        problems.append(FieldError("delivery", "Select how the letter is given to the person"))
    elif delivery == Delivery.EMAIL.value and not case.person.email:
        problems.append(
            FieldError("delivery", "There is no email address for the person: send the letter by post or by hand")
        )
    FieldErrors.raise_any(problems)
    warning = BreachWarning(
        case_id=case.id,
        breach_id=breach.id,
        level=WarningLevel.FORMAL.value,
        reason=reason,
        issued_by_id=actor.id,
        issued_at=now,
        language=case.person.preferred_language,
        delivery=delivery,
    )
    session.add(warning)
    breach_status.step(breach, BreachStatus.WARNED)
    flush_or_stale(session, stale_message("this breach"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="breach.warning_given",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        breach_id=breach.id,
        warning_id=warning.id,
        level=warning.level,
        delivery=delivery,
        language=warning.language,
    )
    return warning


def refer_to_supervisor(
    session: Session, *, actor: User, case: Case, breach: Breach, reason: str, seen_version: int, now: datetime
) -> Breach:
    """The navigator sends a first failure to the supervisor instead of warning: the breach waits for
    a decision and the case moves to breach review, as an automatic review would."""
    access.require(actor, Action.RECORD_BREACH, team_id=case.team_id)
    answerable(breach, case=case)
    if breach.version != seen_version:
        raise _stale(breach)
    problems: list[FieldError] = []
    reason = _reason(reason, problems, missing="Write why you are referring this breach to the supervisor")
    FieldErrors.raise_any(problems)
    breach_status.to_review(breach, reason=ReviewReason.REFERRED_BY_NAVIGATOR, actor=actor, now=now)
    # The supervisor reads why alongside the evidence recorded with the breach.
    breach.evidence = {**breach.evidence, "referral_note": reason}
    flush_or_stale(session, stale_message("this breach"), case_id=case.id)
    audit.record(
        session,
        actor=actor,
        action="breach.referred",
        now=now,
        case_id=case.id,
        team_id=case.team_id,
        breach_id=breach.id,
    )
    breach_escalation.reviewed(session, case=case, breach=breach, actor=actor, now=now)
    return breach


# ---- the letter ---------------------------------------------------------------------------------


def _letter(session: Session, *, case: Case, breach: Breach, warning: BreachWarning) -> WarningLetter:
    settings = schemes.settings_on(session, local_today(warning.issued_at))
    person, language = case.person, warning.language
    condition = (breach.evidence or {}).get("condition") or {}
    check_in = session.get(CheckIn, breach.check_in_id) if breach.check_in_id else None
    navigator = case.navigator or warning.issued_by
    return WarningLetter(
        scheme_name=settings.scheme_name,
        force_name=settings.force_name,
        case_reference=case.reference,
        person_name=person.full_name,
        address_lines=tuple(
            x for x in (person.address_line_1, person.address_line_2, person.town, person.postcode) if x
        ),
        issued_at=warning.issued_at,
        level=warning.level,
        failure=breach.kind,
        failure_on=breach.occurred_on,
        reason=warning.reason,
        navigator_name=navigator.full_name,
        team_name=case.team.name,
        team_phone=case.team.phone or "",
        team_email=case.team.email or "",
        check_in_at=check_in.scheduled_at if check_in else None,
        condition_number=condition.get("number"),
        condition_wording=(condition.get("wording_cy") if language == "cy" else None) or condition.get("wording", ""),
        delivery=warning.delivery or "",
        language=language,
    )


def warning_letter(session: Session, *, actor: User, case: Case, warning_id: int, now: datetime) -> CaseLetter:
    """The letter for a formal or final warning, in the language the warning was given in: the
    stored copy, rendered and stored on the first download. The download is an audited disclosure."""
    access.require(actor, Action.ISSUE_WARNING, team_id=case.team_id)
    warning = session.get(BreachWarning, warning_id)
    if warning is None or warning.case_id != case.id:
        raise NotFound("There is no such warning on this case.")
    breach = session.get(Breach, warning.breach_id)

    def render() -> RenderedDocument:
        return render_warning_letter(_letter(session, case=case, breach=breach, warning=warning))

    letter = letters.issue(
        session,
        case=case,
        kind=LETTER_KINDS[warning.warning_level],
        subject_id=warning.id,
        language=warning.language,
        render=render,
        actor=actor,
        now=now,
    )
    if warning.letter_id is None:
        session.flush()
        warning.letter_id = letter.id
    letters.record_download(
        session,
        actor=actor,
        case=case,
        letter=letter,
        recipient="the person",
        purpose=f"{warning.warning_level.label.lower()} letter",
        now=now,
    )
    return letter
