"""The reports a supervisor or performance lead can open (DOMAIN.md §8.2, §8.3), in the order the
dashboard lists them. Each is built from the live tables for one `ReportScope`; the web layer shows,
downloads and audits them all the same way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from casework.domain.report_tables import Report
from casework.services import (
    compliance_report,
    funnel_report,
    reoffending_report,
    timeliness_report,
    victims_report,
)
from casework.services.report_scope import ReportScope


@dataclass(frozen=True)
class ReportKind:
    key: str
    title: str
    description: str
    build: Callable[[Session, ReportScope], Report]


REPORTS: tuple[ReportKind, ...] = (
    ReportKind(
        "funnel",
        "Funnel",
        "How many reached each step from the custody gate to the outcome, and why people left.",
        funnel_report.build,
    ),
    ReportKind(
        "timeliness",
        "Timeliness",
        "How long each step took, from arrest to the charge, with cases that became time-barred first (target: none).",
        timeliness_report.build,
    ),
    ReportKind(
        "compliance",
        "Compliance and change",
        "How signed contracts ended, warnings per case, breaches by type, check-in absences, conditions met by "
        "type and by partner, need at entry against exit, and referral uptake.",
        compliance_report.build,
    ),
    ReportKind(
        "victims",
        "Victims",
        "Whether victims' views were sought before the offer, restorative work from the victim's request to "
        "completion, and updates to victims on time or late.",
        victims_report.build,
    ),
    ReportKind(
        "reoffending",
        "Reoffending follow-ups",
        "The 12- and 24-month reoffending checks and their results by how the case ended, the checks still "
        "awaited, and new offences during the contract.",
        reoffending_report.build,
    ),
)

BY_KEY = {kind.key: kind for kind in REPORTS}
