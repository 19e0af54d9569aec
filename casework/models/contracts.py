"""Support contracts: numbered versions of a set of conditions, frozen once signed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.domain.contract_status import ContractStatus
from casework.domain.contract_terms import ConditionStatus
from casework.models.base import Base, UTCDateTime
from casework.models.referrals import PartnerService
from casework.models.users import User

# Neither met nor waived: what the conditions-not-met sweep looks for once a due date has passed. Spelt
# as in the partial index's predicate (which the databases match against the query's own text) and
# rendered into the sweep's query as literals, never bound parameters.
SETTLED_CONDITION_STATUSES = (ConditionStatus.MET, ConditionStatus.WAIVED)
UNSETTLED_SQL = "status NOT IN ({})".format(", ".join(f"'{status.value}'" for status in SETTLED_CONDITION_STATUSES))


class Contract(Base):
    __tablename__ = "contracts"
    __table_args__ = (
        UniqueConstraint("case_id", "version_number", name="one_row_per_version"),
        CheckConstraint("status IN ('draft', 'awaiting_approval', 'signed', 'superseded')", name="known_status"),
        CheckConstraint(
            "status NOT IN ('signed', 'superseded') OR (signed_at IS NOT NULL AND starts_on IS NOT NULL "
            "AND ends_on IS NOT NULL AND agreement = 'agrees')",
            name="signed_has_signature_and_term",
        ),
        # The completion-review sweep asks for signed contracts that have reached their end date.
        Index("ix_contracts_status_ends_on", "status", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    # The person's answer to the contract (DOMAIN.md §5.2; LESSONS: agrees / does not / could not answer).
    agreement: Mapped[str | None] = mapped_column(String(20))
    agreement_reason: Mapped[str | None] = mapped_column(Text)
    # Supervisor approval, where the scheme asks for it; never by whoever drafted it.
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Signing: the term runs from the signature. The navigator who explained the contract signs
    # it; whoever recorded the signing (a supervisor, say) is kept apart from them.
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_by_navigator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signing_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signing_place: Mapped[str | None] = mapped_column(String(200))
    signing_language: Mapped[str | None] = mapped_column(String(2))
    interpreter_present: Mapped[bool | None] = mapped_column(Boolean)
    appropriate_adult_present: Mapped[bool | None] = mapped_column(Boolean)
    solicitor_present: Mapped[bool | None] = mapped_column(Boolean)
    person_signature: Mapped[str | None] = mapped_column(String(20))
    signature_name: Mapped[str | None] = mapped_column(String(200))
    copy_given: Mapped[str | None] = mapped_column(String(20))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # A variation (version 2 onwards): why, and the end date it asks for.
    variation_reason: Mapped[str | None] = mapped_column(Text)
    planned_ends_on: Mapped[date | None] = mapped_column(Date)
    time_limit_risk_accepted: Mapped[str | None] = mapped_column(Text)
    risk_accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User] = relationship(lazy="joined", foreign_keys=[created_by_id])
    conditions: Mapped[list[Condition]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", lazy="selectin", order_by="Condition.position"
    )

    # The version is moved on by the service on every change to the draft, its conditions
    # included, so two people editing one draft cannot both save (UPDATE ... WHERE version = n).
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    @property
    def contract_status(self) -> ContractStatus:
        return ContractStatus(self.status)


class Condition(Base):
    __tablename__ = "contract_conditions"
    __table_args__ = (
        CheckConstraint("target IS NULL OR target > 0", name="positive_target"),
        # A supervisor's waiver records who, when and why together (services/condition_waivers.py).
        CheckConstraint(
            "(waived_at IS NULL) = (waived_by_id IS NULL) AND (waived_at IS NULL) = (waiver_reason IS NULL)",
            name="waiver_has_author_and_reason",
        ),
        # The conditions-not-met sweep reads conditions past their due date from here: the met and
        # waived ones, most of a long history, and those kept for the whole term are left out.
        Index(
            "ix_conditions_unsettled_due",
            "due_on",
            sqlite_where=text(f"{UNSETTLED_SQL} AND due_on IS NOT NULL"),
            postgresql_where=text(f"{UNSETTLED_SQL} AND due_on IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(20))
    wording: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(20))
    target: Mapped[int | None] = mapped_column(Integer)
    due_on: Mapped[date | None] = mapped_column(Date)
    partner_service_id: Mapped[int | None] = mapped_column(ForeignKey("partner_services.id"))
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    # Which standard wording (domain.standard_wordings) the condition was written from, so an
    # unedited one prints in the document's language; None for a navigator's own words.
    standard_wording: Mapped[str | None] = mapped_column(String(60))
    # In a variation: the signed condition this one continues, so progress recorded on the
    # version in force while the variation waits reaches it too.
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("contract_conditions.id"))
    # Waived by a supervisor (DOMAIN.md §3.2): who, when and why.
    waived_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    waived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waiver_reason: Mapped[str | None] = mapped_column(Text)

    contract: Mapped[Contract] = relationship(back_populates="conditions")
    partner: Mapped[PartnerService | None] = relationship(lazy="joined")
    waived_by: Mapped[User | None] = relationship(foreign_keys=[waived_by_id], lazy="joined")
    progress: Mapped[list[ConditionProgress]] = relationship(lazy="selectin", order_by="ConditionProgress.id")

    @property
    def condition_status(self) -> ConditionStatus:
        return ConditionStatus(self.status)

    @property
    def achieved(self) -> int:
        return sum(entry.amount or 0 for entry in self.progress)


class ContractDocument(Base):
    """An issued PDF, kept so that the same bytes can be downloaded again and proven later."""

    __tablename__ = "contract_documents"
    __table_args__ = (UniqueConstraint("contract_id", "language", name="one_per_language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    language: Mapped[str] = mapped_column(String(2))
    template_version: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConditionProgress(Base):
    """Evidence recorded against a signed condition: sessions attended, hours done, a letter."""

    __tablename__ = "condition_progress"
    __table_args__ = (CheckConstraint("amount IS NULL OR amount > 0", name="positive_amount"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    condition_id: Mapped[int] = mapped_column(ForeignKey("contract_conditions.id"), index=True)
    happened_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    recorded_by: Mapped[User] = relationship(lazy="joined")
