"""How many SQL statements each section of the case record runs: the same for a case with a short
history and for one with years of it, and within the page's share of the eight a page may run.

A request's statements fall in three parts, counted apart: the sign-in check before the view, the
page itself (from fetching the case to the rendered page, lazy loads from templates included), and
the consultation recorded after it. The page's share is what is left of eight once the sign-in
check and the consultation are one statement each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from flask import template_rendered
from sqlalchemy import event, select

from casework.domain.breaches import BreachKind, BreachStatus, Decision
from casework.domain.check_ins import Outcome
from casework.domain.clock import local_today
from casework.domain.flags import FlagKind
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import (
    Breach,
    CaseFlag,
    CaseNote,
    CaseOffence,
    CheckIn,
    CompletionReview,
    ConditionProgress,
    FollowUp,
    Offence,
    Suspension,
)
from casework.services import contracts
from tests.conftest import NOW, make_assessment, make_user, sign_in_quickly
from tests.services.breach_decision_world import breach_case, make_breach

TODAY = local_today(NOW)
# Eight a page, less one for the sign-in check and one for the consultation.
PAGE_BUDGET = 6

SECTIONS = ("", "/needs", "/contract-summary", "/check-ins", "/breaches", "/victim", "/notes", "/timeline")
HARNESS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")  # the test's own transaction


@dataclass(frozen=True)
class Counted:
    before: int  # the sign-in check
    page: int
    after: int  # the consultation

    @property
    def total(self) -> int:
        return self.before + self.page + self.after


class Counter:
    """Statements on the test's connection (every request runs on it, tests/conftest.py), split by the
    view's start (a before_request hook registered after the application's own) and the end of
    rendering (Flask's template_rendered signal)."""

    def __init__(self, app, connection):
        self.marks: list[int] | None = None
        self.statements: list[str] = []
        app.before_request(self._view_starts)
        template_rendered.connect(self._rendered, app)
        event.listen(connection, "before_cursor_execute", self._executed)

    def _executed(self, _conn, _cursor, statement, *_):
        if self.marks is not None and not statement.lstrip().upper().startswith(HARNESS):
            self.statements.append(statement)

    def _view_starts(self):
        if self.marks is not None:
            self.marks.append(len(self.statements))

    def _rendered(self, *_args, **_kwargs):
        if self.marks is not None:
            self.marks.append(len(self.statements))

    def count(self, client, path: str) -> Counted:
        self.marks, self.statements = [], []
        try:
            assert client.get(path).status_code == 200, path
        finally:
            marks, statements, self.marks = self.marks, self.statements, None
        start, rendered = marks[0], marks[-1]
        return Counted(before=start, page=rendered - start, after=len(statements) - rendered)


def _history(session, case, *, navigator, supervisor, times: int) -> None:
    """`times` of each thing a case gathers over its life: check-ins past and to come, absences
    awaiting an explanation (each flagged), notes, follow-ups open and done, breaches awaiting the
    supervisor and decided ones, suspensions resumed, progress on the course, offences."""
    signed = contracts.in_force(session, case=case)
    course = next(c for c in signed.conditions if c.position == 2)
    offence_ids = session.scalars(select(Offence.id).order_by(Offence.id).limit(times)).all()
    session.add_all(CaseOffence(case_id=case.id, offence_id=offence_id) for offence_id in offence_ids)
    for i in range(times):
        session.add_all(
            [
                CheckIn(
                    case_id=case.id,
                    contract_id=signed.id,
                    scheduled_at=NOW + timedelta(days=i + 1, hours=1),
                    mode="in_person",
                    place="Navigator office",
                    source="pattern",
                    created_at=NOW,
                ),
                CheckIn(
                    case_id=case.id,
                    contract_id=signed.id,
                    scheduled_at=NOW - timedelta(days=i + 3),
                    mode="phone",
                    place="By phone",
                    source="pattern",
                    created_at=NOW,
                    outcome=Outcome.ATTENDED_COMPLIED.value,
                    outcome_recorded_at=NOW - timedelta(days=i + 3),
                    engagement=4,
                ),
                CaseNote(case_id=case.id, author_id=navigator.id, written_at=NOW, body=f"Spoke to the person ({i})."),
                FollowUp(
                    case_id=case.id,
                    navigator_id=navigator.id,
                    what=f"Ask about the course ({i})",
                    due_on=TODAY + timedelta(days=7),
                    set_by_id=supervisor.id,
                    set_at=NOW,
                ),
                FollowUp(
                    case_id=case.id,
                    navigator_id=navigator.id,
                    what=f"Ring the hostel ({i})",
                    due_on=TODAY - timedelta(days=7),
                    set_by_id=supervisor.id,
                    set_at=NOW - timedelta(days=9),
                    done_at=NOW - timedelta(days=8),
                    done_by_id=navigator.id,
                    done_note="Rang them.",
                ),
                Suspension(
                    case_id=case.id,
                    contract_id=signed.id,
                    starts_on=TODAY - timedelta(days=60 - 4 * i),
                    reason="In hospital",
                    suspended_by_id=supervisor.id,
                    suspended_at=NOW - timedelta(days=60 - 4 * i),
                    resumed_on=TODAY - timedelta(days=58 - 4 * i),
                    paused_days=2,
                    resumed_by_id=supervisor.id,
                    resumed_at=NOW - timedelta(days=58 - 4 * i),
                ),
                ConditionProgress(
                    condition_id=course.id,
                    happened_on=TODAY - timedelta(days=i + 1),
                    amount=1,
                    evidence="certificate",
                    recorded_by_id=navigator.id,
                    recorded_at=NOW,
                ),
            ]
        )
        absent = CheckIn(
            case_id=case.id,
            contract_id=signed.id,
            scheduled_at=NOW - timedelta(days=i + 30),
            mode="in_person",
            place="Navigator office",
            source="pattern",
            created_at=NOW,
            outcome=Outcome.AWAITING_EXPLANATION.value,
            outcome_recorded_at=NOW - timedelta(days=i + 30),
            explanation_due_on=TODAY - timedelta(days=i + 27),
        )
        session.add(absent)
        session.flush()
        session.add(CaseFlag(case_id=case.id, kind=FlagKind.EXPLANATION_OVERDUE, subject=str(absent.id), raised_at=NOW))
        make_breach(session, case=case, raised_at=NOW - timedelta(days=i + 1), raised_by=navigator)
        session.add(
            Breach(
                case_id=case.id,
                kind=BreachKind.UNACCEPTABLE_ABSENCE.value,
                status=BreachStatus.DECIDED.value,
                occurred_on=TODAY - timedelta(days=i + 40),
                summary="Did not come and gave no reason.",
                raised_at=NOW - timedelta(days=i + 40),
                raised_by_id=navigator.id,
                decision=Decision.NO_ACTION.value,
                decision_rationale="Explained by a letter from the hospital.",
                decided_by_id=supervisor.id,
                decided_at=NOW - timedelta(days=i + 38),
            )
        )
    session.flush()


def _case(session, team, *, state: CaseState, times: int, people):
    navigator, supervisor = people
    case = breach_case(
        session, team=team, navigator=navigator, state=state, deadline_in=20, starts_on=TODAY - timedelta(days=100)
    )
    make_assessment(session, case=case, stage="entry", by=navigator)
    _history(session, case, navigator=navigator, supervisor=supervisor, times=times)
    if state is CaseState.SUSPENDED:
        session.add(
            Suspension(
                case_id=case.id,
                contract_id=contracts.in_force(session, case=case).id,
                starts_on=TODAY - timedelta(days=2),
                reason="Breach decided: suspended while in rehab",
                suspended_by_id=supervisor.id,
                suspended_at=NOW - timedelta(days=2),
            )
        )
    if state is CaseState.COMPLETION_REVIEW:
        session.add(
            CompletionReview(
                case_id=case.id,
                contract_id=contracts.in_force(session, case=case).id,
                ends_on=TODAY,
                requested_at=NOW,
                requested_by_id=navigator.id,
            )
        )
    session.commit()
    return case


@pytest.fixture
def people(session, team):
    return (
        make_user(session, roles=[Role.NAVIGATOR], team=team),
        make_user(session, roles=[Role.SUPERVISOR], team=team),
    )


@pytest.fixture
def counter(app, connection):
    return Counter(app, connection)


STATES = [
    CaseState.REFERRED,
    CaseState.ACTIVE,
    CaseState.BREACH_REVIEW,
    CaseState.SUSPENDED,
    CaseState.COMPLETION_REVIEW,
    CaseState.PROSECUTION_DECISION,
]


@pytest.mark.parametrize("state", STATES, ids=[s.value for s in STATES])
@pytest.mark.parametrize("viewer", ["navigator", "supervisor"])
def test_the_overview_runs_the_same_few_statements_for_a_short_and_a_long_history(
    client, session, team, people, counter, state, viewer
):
    few = _case(session, team, state=state, times=2, people=people)
    many = _case(session, team, state=state, times=25, people=people)
    sign_in_quickly(client, session, people[viewer == "supervisor"])
    client.get(f"/cases/{few.id}")  # warm-up: the sign-in session's touch
    short, long = counter.count(client, f"/cases/{few.id}"), counter.count(client, f"/cases/{many.id}")
    assert short == long
    # The sign-in check is one statement (session, user, team and roles together).
    assert long.before == 1 and long.page <= PAGE_BUDGET and long.total <= PAGE_BUDGET + 2, long


@pytest.mark.parametrize("suffix", SECTIONS[1:])
def test_every_other_section_runs_the_same_few_statements_for_a_short_and_a_long_history(
    client, session, team, people, counter, suffix
):
    few = _case(session, team, state=CaseState.ACTIVE, times=2, people=people)
    many = _case(session, team, state=CaseState.ACTIVE, times=25, people=people)
    sign_in_quickly(client, session, people[0])
    client.get(f"/cases/{few.id}")
    short, long = counter.count(client, f"/cases/{few.id}{suffix}"), counter.count(client, f"/cases/{many.id}{suffix}")
    assert short == long
    # The sign-in check is one statement (session, user, team and roles together).
    assert long.before == 1 and long.page <= PAGE_BUDGET and long.total <= PAGE_BUDGET + 2, long


def test_the_overview_still_shows_the_whole_history_it_counts(client, session, team, people):
    """The statements saved are not things left off the page: a suspended case with a long history
    shows every flag, breach awaiting a decision and open follow-up, the suspension, the days paused
    and the new end, the next check-in and the live breach banner."""
    case = _case(session, team, state=CaseState.SUSPENDED, times=5, people=people)
    sign_in_quickly(client, session, people[1])
    page = BeautifulSoup(client.get(f"/cases/{case.id}").text, "html.parser")
    assert len(page.select("#case-flags li")) == 5
    assert len(page.select("#breaches-in-review li")) == 5
    assert len(page.select("#follow-ups li")) == 5
    assert "Ask about the course (0)" in page.select_one("#follow-ups").get_text()
    assert "in rehab" in page.select_one("#suspension").get_text()
    signed_end = contracts.in_force(session, case=case).ends_on
    extension = page.select_one("#term-extension").get_text(" ", strip=True)
    new_end = signed_end + timedelta(days=10)
    assert "paused for 10 days" in extension and f"now ends on {new_end.day} {new_end:%B %Y}" in extension
    assert "Navigator office" in page.select_one("#next-check-in").get_text()
    assert "5 breaches are waiting" in page.select_one("#live-breach").get_text(" ", strip=True)
    titles = [link.offence.title for link in case.offences]
    assert len(titles) == 5 and all(title in page.get_text() for title in titles)
