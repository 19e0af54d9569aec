"""Scrutiny panel samples (DOMAIN.md §8.3): a seeded random draw of closed cases, recorded so that
the same seed over the same cases can be shown to give the same sample, and the panel's ratings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.domain.panel_scrutiny import Rating, pseudonym
from casework.models.base import Base, UTCDateTime
from casework.models.teams import Team
from casework.models.users import User


def _ratings() -> str:
    return ", ".join(f"'{rating.value}'" for rating in Rating)


class PanelSample(Base):
    __tablename__ = "panel_samples"
    __table_args__ = (
        CheckConstraint("last_day >= first_day", name="days_ordered"),
        CheckConstraint("size_asked > 0", name="size_positive"),
        CheckConstraint("drawn_count BETWEEN 0 AND size_asked", name="drawn_at_most_asked"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: every team (a performance lead's sample).
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    # The London dates the cases were closed on, inclusive.
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    size_asked: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(BigInteger)
    # How many closed cases the draw was made from, and how many it took: with the seed, what anyone
    # checking the sample needs to draw it again.
    closed_cases: Mapped[int] = mapped_column(Integer)
    drawn_count: Mapped[int] = mapped_column(Integer)
    drawn_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime)

    team: Mapped[Team | None] = relationship(lazy="joined")
    drawn_by: Mapped[User] = relationship(lazy="joined")

    @property
    def team_name(self) -> str:
        return self.team.name if self.team is not None else "Every team"


class PanelSampleCase(Base):
    __tablename__ = "panel_sample_cases"
    __table_args__ = (
        UniqueConstraint("sample_id", "position", name="one_per_position"),
        UniqueConstraint("sample_id", "case_id", name="case_once_per_sample"),
        CheckConstraint("position > 0", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("panel_samples.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # The place in the drawn order, from 1: the case's pseudonym within the sample.
    position: Mapped[int] = mapped_column(Integer)

    @property
    def pseudonym(self) -> str:
        return pseudonym(self.position)


class PanelRating(Base):
    """The panel's one rating of a sampled case ("not agreed" when its members differ)."""

    __tablename__ = "panel_ratings"
    __table_args__ = (
        CheckConstraint(f"rating IN ({_ratings()})", name="known_rating"),
        CheckConstraint("length(panel_member) > 0", name="has_panel_member"),
        UniqueConstraint("sample_case_id", name="one_per_sampled_case"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_case_id: Mapped[int] = mapped_column(ForeignKey("panel_sample_cases.id", ondelete="CASCADE"))
    rating: Mapped[str] = mapped_column(String(40))
    comments: Mapped[str | None] = mapped_column(Text)
    # Who gave it, as typed ("Panel chair", a magistrate's name): panel members have no accounts.
    panel_member: Mapped[str] = mapped_column(String(120))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    recorded_by: Mapped[User] = relationship(lazy="joined")

    @property
    def panel_rating(self) -> Rating:
        return Rating(self.rating)
