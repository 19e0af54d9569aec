"""The later part of a demo case's walk: breaches and warnings, the supervisor's decisions, the
prosecution decision, completion, and the updates owed to the victim on the way.

As in casework/demo_journeys.py, each step is the service call a user would have made, by whom and
when, so each demo case has the rows, audit trail and offered actions its state implies.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from faker import Faker
from sqlalchemy.orm import Session

from casework.demo_desk import Staff
from casework.demo_journeys import Walk, reached
from casework.domain.breaches import BreachStatus, Delivery
from casework.domain.clock import local_today
from casework.domain.contract_terms import CompletionRule
from casework.domain.lifecycle import CaseState
from casework.domain.needs import Stage
from casework.models import Breach
from casework.services import (
    breach_decisions,
    breach_warnings,
    breaches,
    check_ins,
    completion,
    completion_sign_off,
    contracts,
    progress,
    prosecution,
    victim_updates,
)
from casework.services.breaches import NewOffenceReport
from casework.services.check_in_outcomes import OutcomeRecord

S = CaseState


class OutcomeWalk(Walk):
    """A walk that goes on past the signed contract to a breach, a decision or the end."""

    # ---- check-ins and the breaches they raise ---------------------------------------------------

    def hold_with_absences(self, *, unacceptable: tuple[int, ...], until: datetime | None = None) -> None:
        """Each check-in held before `until` (by default two hours ago) recorded 40 minutes after its
        start: attended, except those counted in `unacceptable` (from 0), which the person missed and
        did not explain. The navigator classifies each the next day, which raises its breach."""
        until = until or self.ago(hours=2)
        held = [c for c in check_ins.for_case(self.session, case=self.case) if c.is_open and c.scheduled_at < until]
        for index, check_in in enumerate(held):
            at = check_in.scheduled_at + timedelta(minutes=40)
            if index not in unacceptable:
                self.record_outcome(
                    check_in, OutcomeRecord(outcome="attended_complied", engagement=2 + index % 3), at=at
                )
                continue
            self.record_outcome(
                check_in, OutcomeRecord(outcome="pending_explanation", note="Not in; phone off."), at=at
            )
            unexplained = OutcomeRecord(
                outcome="unacceptable_absence",
                absence_detail="Said they forgot; the reminder reached them the day before.",
            )
            self.classify(check_in, unexplained, at=min(at + timedelta(days=1), self.ago(hours=1)))

    def breaches(self) -> list[Breach]:
        """The case's breaches, oldest first."""
        entries = breaches.for_case(self.session, actor=self.navigator, case=self.case)
        return sorted((entry.breach for entry in entries), key=lambda breach: (breach.raised_at, breach.id))

    def in_review(self) -> Breach:
        return next(b for b in self.breaches() if b.breach_status is BreachStatus.REVIEW)

    def warn(self, breach: Breach, *, at: datetime) -> None:
        warning = breach_warnings.give_warning(
            self.session,
            actor=self.navigator,
            case=self.case,
            breach=breach,
            reason="A first missed check-in without a reason. The next one goes to the supervisor.",
            delivery=Delivery.POST.value,
            seen_version=breach.version,
            now=at,
        )
        # The letter is issued (and stored) when the navigator downloads it to post.
        breach_warnings.warning_letter(
            self.session, actor=self.navigator, case=self.case, warning_id=warning.id, now=at
        )

    def report_new_offence(self, *, at: datetime, days_ago: int) -> None:
        breaches.record_new_offence(
            self.session,
            actor=self.navigator,
            case=self.case,
            report=NewOffenceReport(
                crime_reference=f"{self.case.crime_reference}-N",
                occurred_on=self.day(days_ago),
                source="officer_in_case",
                police_action="charged",
                summary="Arrested for a shop theft and remanded in custody for the magistrates' court.",
            ),
            seen_version=self.case.version,
            now=at,
        )

    def decide(self, breach: Breach, decision: str, rationale: str, *, at: datetime, **choice) -> None:
        breach_decisions.decide(
            self.session,
            actor=self.staff.supervisor,
            breach=breach,
            choice=breach_decisions.Choice(decision=decision, rationale=rationale, **choice),
            seen_version=breach.version,
            now=at,
        )

    # ---- the prosecution decision ---------------------------------------------------------------

    def close(self, route: str, code: int, rationale: str, *, at: datetime) -> None:
        """The custody sergeant records the prosecution decision by a route other than a charge."""
        prosecution.record_decision(
            self.session,
            actor=self.staff.sergeant,
            case=self.case,
            route=route,
            code=code,
            rationale=rationale,
            seen_version=self.case.version,
            now=at,
        )

    def charge(self, *, at: datetime, court_in_days: int = 21) -> None:
        charged_on = local_today(at)
        prosecution.record_decision(
            self.session,
            actor=self.staff.sergeant,
            case=self.case,
            route="charged",
            code=1,
            rationale="Two missed check-ins and a final warning ignored; the evidence supports a charge.",
            charge_wording=CHARGE_WORDING,
            charged_on=charged_on,
            court_date=charged_on + timedelta(days=court_in_days),
            seen_version=self.case.version,
            now=at,
        )

    # ---- completion -----------------------------------------------------------------------------

    def meet_every_condition(self, *, days_ago: int) -> None:
        """Evidence that meets each measured condition of the contract in force on that day."""
        signed = contracts.in_force(self.session, case=self.case)
        for condition in signed.conditions:
            rule = CompletionRule(condition.rule)
            if rule is CompletionRule.WHOLE_TERM or condition.status == "met":
                continue
            still = max((condition.target or 1) - condition.achieved, 1)
            progress.record_progress(
                self.session,
                actor=self.navigator,
                case=self.case,
                condition_id=condition.id,
                happened_on=self.day(days_ago),
                amount=still if rule in (CompletionRule.SESSIONS, CompletionRule.HOURS) else None,
                evidence="partner_confirmation",
                note="Confirmed by the partner.",
                at_risk=False,
                now=self.on(days_ago, "16:00"),
            )

    def exit_assessment(self, *, at: datetime) -> None:
        self.assess(at=at, needs={"drugs": 1}, stage=Stage.EXIT)

    def give_victim_updates(self, *, at: datetime) -> None:
        """Each update owed to the victim so far, given by phone on its due day (or today)."""
        for update in victim_updates.for_case(self.session, case=self.case):
            if update.owed and update.given_on is None:
                victim_updates.record_given(
                    self.session,
                    actor=self.navigator,
                    update=update,
                    given_on=min(update.due_on, local_today(at)),
                    method="phone",
                    summary="Told them how the contract is going, as they asked.",
                    seen_version=update.version,
                    now=at,
                )

    def request_completion(self, *, at: datetime) -> None:
        completion.request_review(
            self.session, actor=self.navigator, case=self.case, seen_version=self.case.version, now=at
        )

    def sign_off(self, *, at: datetime) -> None:
        completion_sign_off.sign_off(
            self.session,
            actor=self.staff.supervisor,
            case=self.case,
            rationale="Every condition met, check-ins kept and the exit assessment done: no further action.",
            exit_not_done_reason="",
            seen_version=self.case.version,
            now=at,
        )


CHARGE_WORDING = (
    "On the date of the offence at the place given, had in your possession a controlled drug of class B, "
    "namely cannabis, contrary to section 5(2) of the Misuse of Drugs Act 1971."
)


def outcome_cases(session: Session, fake: Faker, *, staff: Staff, now: datetime) -> None:
    """One team's cases past the signed contract, oldest first (README.md lists them)."""
    nav, nav2 = staff.navigator, staff.navigator2

    def walk() -> OutcomeWalk:
        return OutcomeWalk(session, fake, staff, now)

    def under_contract(w: OutcomeWalk, *, days_ago: int, navigator, offence: str = "DRUG-POSS-B") -> None:
        """Through the gate, the assessment and a referral to a signed contract, `days_ago` days ago."""
        opened = w.on(days_ago + 8, "21:15")
        w.through_the_gate(at=opened, offence=offence, offence_days_before=2)
        w.accept(at=opened + timedelta(minutes=30))
        w.allocate(navigator, at=w.on(days_ago + 7, "09:00"))
        w.first_contact()
        w.assess(at=w.on(days_ago + 6, "11:00"), needs={"drugs": 3, "finance": 2})
        w.refer_to_partner(
            at=w.on(days_ago + 5, "10:00"),
            pathway="drugs",
            statuses=("acknowledged", "appointment_offered", "attended"),
        )
        contract = w.draft_contract(at=w.on(days_ago + 2, "14:00"), due_in_days=90)
        w.agree(contract, at=w.on(days_ago, "10:00"))
        w.sign(contract, at=w.on(days_ago, "10:30"))

    # Completed: every condition met, the exit assessment done, the victim kept informed, and signed
    # off by the supervisor with Outcome 22; the completion letter is ready to download.
    w = walk()
    under_contract(w, days_ago=150, navigator=nav2)
    w.hold_with_absences(unacceptable=())
    w.meet_every_condition(days_ago=70)
    w.exit_assessment(at=w.on(30, "11:00"))
    w.give_victim_updates(at=w.on(29, "12:00"))
    w.request_completion(at=w.on(27, "10:00"))
    w.sign_off(at=w.on(25, "15:00"))
    w.give_victim_updates(at=w.on(24, "10:00"))  # and the outcome
    reached(w, S.COMPLETED)

    # Charged: a warning for the first missed check-in, a final warning for the second, terminated
    # after the third, and the custody sergeant recorded the charge by postal requisition.
    w = walk()
    under_contract(w, days_ago=100, navigator=nav)
    w.hold_with_absences(unacceptable=(1,), until=w.on(80, "00:00"))
    w.warn(w.breaches()[-1], at=w.on(85, "11:00"))
    w.hold_with_absences(unacceptable=(1,), until=w.on(60, "00:00"))
    w.decide(
        w.in_review(), "final_warning", "Second unexplained absence in a month: a final warning.", at=w.on(70, "10:00")
    )
    w.hold_with_absences(unacceptable=(2,), until=w.on(20, "00:00"))
    w.decide(
        w.in_review(), "terminate", "A third absence after a final warning: the contract ends.", at=w.on(27, "10:00")
    )
    w.charge(at=w.on(20, "14:00"))
    reached(w, S.CLOSED_CHARGED)

    # In completion review: the term ended last week with every condition met; the supervisor has
    # not yet signed it off.
    w = walk()
    under_contract(w, days_ago=128, navigator=nav)
    w.hold_with_absences(unacceptable=())
    w.meet_every_condition(days_ago=60)
    w.exit_assessment(at=w.on(8, "11:00"))
    w.request_completion(at=w.on(3, "10:00"))
    reached(w, S.COMPLETION_REVIEW)

    # Breach review: a warning for the first missed check-in; the second went to the supervisor.
    w = walk()
    under_contract(w, days_ago=65, navigator=nav)
    w.hold_with_absences(unacceptable=(1,), until=w.on(40, "00:00"))
    w.warn(w.breaches()[-1], at=w.on(50, "11:00"))
    w.hold_with_absences(unacceptable=(1,))
    reached(w, S.BREACH_REVIEW)

    # Suspended: charged with a new offence and remanded in custody; the supervisor paused the term.
    w = walk()
    under_contract(w, days_ago=50, navigator=nav2)
    w.hold_with_absences(unacceptable=(), until=w.on(14, "00:00"))
    w.report_new_offence(at=w.on(12, "09:30"), days_ago=13)
    w.decide(
        w.in_review(),
        "suspend",
        "Remanded in custody until the trial: the term pauses and resumes on release.",
        at=w.on(11, "16:00"),
        suspended_from=w.day(12),
    )
    reached(w, S.SUSPENDED)

    # Closed without a charge: two referrals that never made contact, ended and then decided.
    for route, code, rationale in (
        (
            "no_further_action",
            21,
            "The person has since moved abroad; further investigation is not in the public interest.",
        ),
        ("evidential", 16, "The only witness no longer supports a prosecution."),
    ):
        w = walk()
        opened = w.on(60, "02:30")
        w.through_the_gate(at=opened, offence="THEFT-SHOP", offence_days_before=1)
        w.accept(at=opened + timedelta(minutes=30))
        w.allocate(nav2, at=w.on(59, "09:00"))
        w.end_for_no_contact(at=w.on(40, "15:00"))
        w.close(route, code, rationale, at=w.on(30, "11:00"))
        reached(w, S.CLOSED_ALTERNATIVE if route == "no_further_action" else S.CLOSED_EVIDENTIAL)

    # Time-barred: a summary offence reported late, no contact, and the decision came after the latest
    # charge date, so Outcome 17 was all that was left (the supervisor home counts it: target zero).
    w = walk()
    opened = w.on(130, "01:10")
    w.through_the_gate(at=opened, offence="PO-S5", offence_days_before=80)
    w.accept(at=opened + timedelta(minutes=30))
    w.allocate(nav, at=w.on(129, "09:00"))
    w.end_for_no_contact(at=w.on(110, "15:00"))
    w.close("time_barred", 17, "The decision was not made before the latest charge date.", at=w.on(5, "11:00"))
    reached(w, S.CLOSED_TIME_BARRED)
