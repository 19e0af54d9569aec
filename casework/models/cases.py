"""A deferred case from the custody gate onwards: arrest, eligibility, offer, referral, allocation.

CHECK constraints tie the state to the data it needs, so a bug cannot store, say, a referred
case without consent or a closed case without a closing time (DESIGN.md §3).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.domain.lifecycle import OPEN_STATES, TERMINAL_STATES, CaseState
from casework.models.base import Base, UTCDateTime
from casework.models.people import Person
from casework.models.schemes import Offence
from casework.models.teams import Team
from casework.models.users import User


def _sql_list(states) -> str:
    return ", ".join(f"'{state.value}'" for state in sorted(states))


# The generated columns the caseload's lists are indexed on.
UNCLOSED_SQL = f"state NOT IN ({_sql_list(TERMINAL_STATES)})"
OPEN_SQL = f"state IN ({_sql_list(OPEN_STATES)})"
SEARCH_NAME = String(120).with_variant(String(120, collation="C"), "postgresql")

_NOT_YET_REFERRED = {
    CaseState.ELIGIBILITY_DRAFT,
    CaseState.INELIGIBLE,
    CaseState.DECLINED,
    CaseState.WITHDRAWN_IN_ERROR,
}


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(f"state IN ({_sql_list(CaseState)})", name="known_state"),
        CheckConstraint(
            f"state NOT IN ({_sql_list(TERMINAL_STATES)}) OR closed_at IS NOT NULL", name="closed_has_time"
        ),
        CheckConstraint(
            f"state IN ({_sql_list(_NOT_YET_REFERRED)}) OR "
            "(consent_at IS NOT NULL AND first_appointment_at IS NOT NULL)",
            name="offer_accepted_has_consent_and_appointment",
        ),
        CheckConstraint(
            f"state IN ({_sql_list(_NOT_YET_REFERRED | {CaseState.PENDING_ACCEPTANCE})}) OR referred_at IS NOT NULL",
            name="referred_has_time",
        ),
        CheckConstraint("override_rationale IS NULL OR overridden_by_id IS NOT NULL", name="override_has_author"),
        CheckConstraint(
            f"state <> '{CaseState.WITHDRAWN_IN_ERROR.value}' OR withdrawal_reason IS NOT NULL",
            name="withdrawn_has_reason",
        ),
        CheckConstraint(
            "offence_first_on IS NULL OR offence_first_on <= offence_last_on", name="offence_dates_ordered"
        ),
        Index("ix_cases_team_state", "team_id", "state"),
        # A report's cohort: the cases whose gate was started in a range of dates, for every team or one
        # (services.report_scope), read without walking years of history (bench/reports.py).
        Index("ix_cases_opened_at", "opened_at"),
        Index("ix_cases_team_opened_at", "team_id", "opened_at"),
        Index("ix_cases_navigator_state", "navigator_id", "state"),
        # The scheduler's sweeps ask for the due cases by range: referred before a day, deadline by a day.
        Index("ix_cases_state_referred_at", "state", "referred_at"),
        Index("ix_cases_state_decision_deadline_on", "state", "decision_deadline_on"),
        # The caseload's lists in deadline order, read straight from an index that starts with the list's
        # own cases (by team, or by navigator, and whether closed), so years of closed cases are never
        # walked (bench/README.md). Generated columns rather than partial indexes: PostgreSQL tries to
        # prove a partial index's predicate against every query of cases, which cost a case page more
        # planning than all its queries took to run.
        Index("ix_cases_team_unclosed_deadline", "team_id", "unclosed", "decision_deadline_on", "id"),
        Index(
            "ix_cases_navigator_open_deadline", "navigator_id", "in_progress", "team_id", "decision_deadline_on", "id"
        ),
        # A name search reads the names of the list's own cases, and their ids, from the index alone.
        Index("ix_cases_team_family_name", "team_id", "unclosed", "search_family_name", "id"),
        Index("ix_cases_team_given_names", "team_id", "unclosed", "search_given_names", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    # Every case starts at the custody gate; services.transitions is the only way on from there.
    state: Mapped[str] = mapped_column(String(30), default=CaseState.ELIGIBILITY_DRAFT.value)
    version: Mapped[int] = mapped_column(Integer, default=1)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Arrest and custody
    custody_suite: Mapped[str | None] = mapped_column(String(120))
    crime_reference: Mapped[str | None] = mapped_column(String(40), index=True)
    custody_record_number: Mapped[str | None] = mapped_column(String(40))
    arrested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offence_first_on: Mapped[date | None] = mapped_column(Date)
    offence_last_on: Mapped[date | None] = mapped_column(Date)
    # Printed on the contract (DOMAIN.md §5.4): where it happened and what, in a sentence or two.
    offence_place: Mapped[str | None] = mapped_column(String(200))
    offence_description: Mapped[str | None] = mapped_column(String(300))

    # Eligibility gate: the answers as given, and what the rules made of them
    gate_answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    provisional_eligible: Mapped[bool | None] = mapped_column(Boolean)
    reason_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    gravity_score: Mapped[int | None] = mapped_column(Integer)
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    override_rationale: Mapped[str | None] = mapped_column(Text)
    overridden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    scheme_settings_id: Mapped[int | None] = mapped_column(ForeignKey("scheme_settings.id"))

    # The offer and the person's answer
    offer_outcome: Mapped[str | None] = mapped_column(String(20))
    offer_reason: Mapped[str | None] = mapped_column(String(40))
    offer_reason_detail: Mapped[str | None] = mapped_column(Text)
    solicitor_present: Mapped[bool | None] = mapped_column(Boolean)
    consequences_explained: Mapped[bool | None] = mapped_column(Boolean)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_witnessed_by: Mapped[str | None] = mapped_column(String(120))
    interpreter_present: Mapped[bool | None] = mapped_column(Boolean)
    appropriate_adult_present: Mapped[bool | None] = mapped_column(Boolean)
    alternative_outcome: Mapped[str | None] = mapped_column(String(40))

    # Referral and the clocks it starts
    referred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    latest_charge_on: Mapped[date | None] = mapped_column(Date)
    decision_deadline_on: Mapped[date | None] = mapped_column(Date)
    first_appointment_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_appointment_place: Mapped[str | None] = mapped_column(String(300))
    first_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    navigator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    # Ending early: a referral that never made contact, or a case opened by mistake
    termination_reason: Mapped[str | None] = mapped_column(Text)
    withdrawal_reason: Mapped[str | None] = mapped_column(String(40))
    withdrawal_detail: Mapped[str | None] = mapped_column(Text)

    # Copies of the person's folded names, kept by database triggers (migration 0035): a name search
    # within a team then reads one index of cases instead of every person with that name in the force.
    # Byte order on PostgreSQL ("C"), as on SQLite, so a prefix is a range of the index.
    search_family_name: Mapped[str | None] = mapped_column(SEARCH_NAME, server_default=FetchedValue())
    search_given_names: Mapped[str | None] = mapped_column(SEARCH_NAME, server_default=FetchedValue())
    # Kept by the database from the state: not closed (the team's list), and with a navigator working
    # on it (OPEN_STATES: "my cases").
    unclosed: Mapped[bool] = mapped_column(Boolean, Computed(UNCLOSED_SQL))
    in_progress: Mapped[bool] = mapped_column(Boolean, Computed(OPEN_SQL))

    person: Mapped[Person] = relationship(lazy="joined")
    team: Mapped[Team] = relationship()
    navigator: Mapped[User | None] = relationship(foreign_keys=[navigator_id])
    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
    offences: Mapped[list[CaseOffence]] = relationship(
        back_populates="case", cascade="all, delete-orphan", lazy="selectin", order_by="CaseOffence.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def case_state(self) -> CaseState:
        return CaseState(self.state)

    @property
    def is_open(self) -> bool:
        return self.case_state in OPEN_STATES


class CaseOffence(Base):
    __tablename__ = "case_offences"
    __table_args__ = (UniqueConstraint("case_id", "offence_id", name="offence_once_per_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    offence_id: Mapped[int] = mapped_column(ForeignKey("offences.id"))

    case: Mapped[Case] = relationship(back_populates="offences")
    offence: Mapped[Offence] = relationship(lazy="joined")


class OfferSheetDocument(Base):
    """An offer sheet as handed over, kept so that later downloads of the same sheet are the same
    bytes, served without rendering again. Keyed by a digest of everything the sheet prints
    (`made_from`): once a detail it prints changes, the next download is a new sheet, and the
    earlier copies stay as the record of what was handed over."""

    __tablename__ = "offer_sheet_documents"
    __table_args__ = (UniqueConstraint("case_id", "made_from", name="one_per_content"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    made_from: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(2))
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Allocation(Base):
    """Who held the case and when: reassignments are history, not overwrites."""

    __tablename__ = "allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    navigator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    allocated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    allocated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(String(300))

    navigator: Mapped[User] = relationship(foreign_keys=[navigator_id], lazy="joined")
    allocated_by: Mapped[User] = relationship(foreign_keys=[allocated_by_id], lazy="joined")


class CaseNote(Base):
    __tablename__ = "case_notes"
    __table_args__ = (CheckConstraint("length(body) BETWEEN 1 AND 12000", name="body_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    body: Mapped[str] = mapped_column(Text)

    author: Mapped[User] = relationship(lazy="joined")
