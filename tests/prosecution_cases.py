"""Cases waiting for a prosecution decision, reached as in life: a referral that never made contact
is ended by a supervisor (services.case_endings), which terminates it and passes it on."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.domain.time_limits import decision_deadline, latest_charge_date
from casework.models import Case, CaseOffence, Offence, Team, User
from casework.services import case_endings
from tests.conftest import NOW, make_case, make_user

ENDING = "Three calls and two letters since the first appointment, and no reply to any of them."
RATIONALE = "Two unacceptable absences and no contact since; a prosecution is proportionate."


def waiting_case(
    session,
    team: Team,
    *,
    offence_on: date = date(2026, 8, 3),
    s127: bool = True,
    supervisor: User | None = None,
    now: datetime = NOW,
    offence_code: str = "ASSAULT-COMMON",
    **overrides,
) -> Case:
    latest = latest_charge_date(offence_on, s127_applies=s127)
    case = make_case(
        session,
        team=team,
        state=CaseState.REFERRED,
        offence_first_on=offence_on,
        offence_last_on=offence_on,
        latest_charge_on=latest,
        decision_deadline_on=decision_deadline(latest, margin_days=21),
        first_appointment_at=now - timedelta(days=5),
        offence_place="Market Place, Durham",
        offence_description="Pushed a man to the ground outside a shop.",
        **overrides,
    )
    offence = session.scalar(select(Offence).where(Offence.code == offence_code))
    session.add(CaseOffence(case_id=case.id, offence_id=offence.id))
    session.flush()
    ender = supervisor or make_user(session, roles=[Role.SUPERVISOR], team=team)
    case_endings.end_for_no_contact(session, actor=ender, case=case, reason=ENDING, seen_version=case.version, now=now)
    assert case.case_state is CaseState.PROSECUTION_DECISION
    return case
