"""A cohort member's contract from the signature on (casework/demo_cohort_walk.py comes before):
check-ins held and recorded, conditions met, breaches and what the navigator and the supervisor
did about them, the updates owed to the victim, and completion or the prosecution decision.

What happens after the signature is an agenda of timed steps worked through in time order, with
the check-ins the service scheduled in among them: a suspension or a termination changes the
check-ins still to come, so the next one is always read afresh. Steps after the demo's "now" (less
two hours) are not taken.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from casework.demo_cohort_walk import CohortWalk
from casework.domain.breaches import RUNNING_STATES, BreachKind, BreachStatus
from casework.domain.clock import local_today
from casework.domain.contract_terms import CompletionRule, ConditionType
from casework.domain.lifecycle import CaseState
from casework.domain.needs import Stage
from casework.models import Breach, CheckIn
from casework.services import (
    breach_raising,
    breach_warnings,
    breaches,
    completion_sign_off,
    contracts,
    progress,
    suspensions,
    victim_updates,
)
from casework.services.breaches import ConductReport, NewOffenceReport, WithdrawalReport
from casework.services.check_in_outcomes import OutcomeRecord

S = CaseState
HELD_FOR = timedelta(minutes=40)  # a check-in's outcome is recorded this long after it starts


@dataclass
class ContractWalk(CohortWalk):
    """The walk past the signature, driven by an agenda of (moment, step)."""

    held: int = 0  # check-ins recorded so far, to find each one's mark in the plan

    def play(self) -> None:
        """The whole walk, as far as the demo's "now" allows (NotYet: stopped before now)."""
        fate = self.fate
        gate = self.at(self.gate_day, fate.gate_clock)
        self.through_the_gate(
            at=gate, offence=fate.offence, offence_days_before=fate.offence_days_before, age_years=fate.age
        )
        self.offer(gate + timedelta(minutes=30))
        if fate.offer != "accepted":
            return
        self.before_the_contract()
        if self.case.case_state is S.ACTIVE:
            self.under_contract()
        self.work_through()

    def under_contract(self) -> None:
        fate, signed = self.fate, contracts.in_force(self.session, case=self.case)
        start = signed.starts_on
        self.owe_updates(self.at(start, "12:00"))
        late_condition = None
        for condition in signed.conditions:
            if condition.rule == CompletionRule.WHOLE_TERM.value or condition.due_on is None:
                continue
            if fate.course == "condition_late" and late_condition is None and condition.type == ConditionType.PATHWAY:
                late_condition = condition
                self.then(self.at(condition.due_on + timedelta(days=1), "07:00"), self.unmet_condition)
                self.then(self.at(condition.due_on + timedelta(days=6), "16:00"), self.meet(condition.position))
                continue
            met_on = max(condition.due_on - timedelta(days=3 + (fate.number + condition.position) % 18), start)
            self.then(self.at(met_on, "16:00"), self.meet(condition.position))
        event = self.at(start + timedelta(days=fate.event_day), "09:30")
        course_steps = {"new_offence": self.new_offence, "withdraws": self.withdraws, "conduct": self.conduct}
        if fate.course in course_steps:
            self.then(event, course_steps[fate.course])
        self.then(self.at(signed.ends_on + timedelta(days=1), "10:00"), self.complete)

    # ---- the agenda -------------------------------------------------------------------------------

    def next_check_in(self) -> CheckIn | None:
        """The earliest check-in still open: the service may have cancelled or moved the rest."""
        if self.case.case_state not in RUNNING_STATES:
            return None
        return self.session.scalars(
            select(CheckIn)
            .where(CheckIn.case_id == self.case.id, CheckIn.outcome.is_(None), CheckIn.cancelled_at.is_(None))
            .order_by(CheckIn.scheduled_at)
            .limit(1)
        ).first()

    def work_through(self) -> None:
        while True:
            check_in = self.next_check_in()
            held_at = check_in.scheduled_at + HELD_FOR if check_in else None
            step_at = self.agenda[0][0] if self.agenda else None
            if held_at is not None and (step_at is None or held_at <= step_at):
                if held_at > self.cutoff:
                    return
                self.hold(check_in, held_at)
            elif step_at is not None and step_at <= self.cutoff:
                _, _, step = heapq.heappop(self.agenda)
                step(step_at)
            else:
                return

    def running(self) -> bool:
        return self.case.case_state in RUNNING_STATES

    # ---- check-ins ------------------------------------------------------------------------------

    def hold(self, check_in: CheckIn, at: datetime) -> None:
        mark = self.fate.check_ins.get(self.held, "attended")
        self.held += 1
        if mark == "late":
            record = OutcomeRecord(outcome="late", engagement=3, late_minutes=20, late_reason="The bus was late.")
            self.record_outcome(check_in, record, at=at)
            return
        if mark == "attended":
            engagement = 3 + (self.fate.number + self.held) % 3
            self.record_outcome(check_in, OutcomeRecord(outcome="attended_complied", engagement=engagement), at=at)
            return
        self.record_outcome(check_in, OutcomeRecord(outcome="pending_explanation", note="Not in; phone off."), at=at)
        next_day = self.at(local_today(at) + timedelta(days=1), "10:00")
        self.then(next_day, lambda moment: self.explain(check_in, acceptable=mark == "acceptable", at=moment))

    def explain(self, check_in: CheckIn, *, acceptable: bool, at: datetime) -> None:
        if not self.running():
            return
        if acceptable:
            record = OutcomeRecord(
                outcome="acceptable_absence",
                absence_reason="medical",
                absence_detail="Unwell with flu; sent a photo of the GP's note.",
                evidence_seen=True,
            )
        else:
            record = OutcomeRecord(
                outcome="unacceptable_absence", absence_detail="Said they forgot; the reminder reached them."
            )
        self.classify(check_in, record, at=at)
        if not acceptable:
            self.then(at + timedelta(days=1, hours=1), self.answer_breach)

    # ---- breaches and decisions -----------------------------------------------------------------

    def answer_breach(self, at: datetime) -> None:
        """The latest breach, answered: a first failure warned by the navigator; one in review decided
        by the supervisor, more firmly each time."""
        latest = self.breaches()[-1]
        if latest.breach_status is BreachStatus.OPEN:
            self.warn(latest, at=at)
        elif latest.breach_status is BreachStatus.REVIEW:
            final_warned = any(b.decision == "final_warning" for b in self.breaches())
            if final_warned or (latest.kind in TERMINATE_RATIONALE and latest.kind != "unacceptable_absence"):
                self.decide(latest, "terminate", TERMINATE_RATIONALE.get(latest.kind, ENOUGH), at=at)
            else:
                self.decide(latest, "final_warning", FINAL_WARNING_RATIONALE[latest.kind], at=at)
        self.after_decision(at)

    def warn(self, breach: Breach, *, at: datetime) -> None:
        """The navigator's formal warning, sent by post. (The stories download each letter, which
        renders it; the cohort leaves its letters to be rendered on first download, so that loading
        stays quick: the warning is recorded either way.)"""
        breach_warnings.give_warning(
            self.session,
            actor=self.navigator,
            case=self.case,
            breach=breach,
            reason="A first failure without a reason. The next one goes to the supervisor.",
            delivery="post",
            seen_version=breach.version,
            now=at,
        )

    def after_decision(self, at: datetime) -> None:
        """What follows a decision: the victim's update, and the prosecution decision if it ended."""
        self.owe_updates(at + timedelta(hours=2))
        if self.case.case_state is S.PROSECUTION_DECISION:
            self.then(self.decision_moment(at), self.prosecution_step)

    def new_offence(self, at: datetime) -> None:
        if not self.running():
            return
        suspended = self.fate.suspended
        breaches.record_new_offence(
            self.session,
            actor=self.navigator,
            case=self.case,
            report=NewOffenceReport(
                crime_reference=f"{self.case.crime_reference}-N",
                occurred_on=local_today(at) - timedelta(days=1),
                source="officer_in_case",
                police_action="charged" if suspended else "suspect",
                summary="Arrested for a theft from a shop and interviewed; admitted it."
                if not suspended
                else "Charged with an assault and remanded in custody for the magistrates' court.",
            ),
            seen_version=self.case.version,
            now=at,
        )
        decided = at + timedelta(days=1, hours=6)
        if not suspended:
            self.then(decided, self.answer_breach)
            return

        def suspend(moment: datetime) -> None:
            self.decide(
                self.in_review(),
                "suspend",
                "Remanded in custody until the trial: the term pauses and resumes on release.",
                at=moment,
                suspended_from=local_today(at),
            )
            self.owe_updates(moment + timedelta(hours=2))
            self.then(moment + timedelta(days=21), self.resume)

        self.then(decided, suspend)

    def resume(self, at: datetime) -> None:
        suspensions.resume(
            self.session,
            actor=self.staff.supervisor,
            case=self.case,
            resumed_on=local_today(at) - timedelta(days=1),
            seen_version=self.case.version,
            now=at,
        )
        self.note(at=at + timedelta(minutes=30), body="Released on bail; the new charge was later discontinued.")

    def withdraws(self, at: datetime) -> None:
        if not self.running():
            return
        breaches.record_withdrawal(
            self.session,
            actor=self.navigator,
            case=self.case,
            report=WithdrawalReport(
                occurred_on=local_today(at), summary="Said they have had enough and will not come any more."
            ),
            seen_version=self.case.version,
            now=at,
        )
        self.then(at + timedelta(days=1, hours=5), self.answer_breach)

    def conduct(self, at: datetime) -> None:
        if not self.running():
            return
        signed = contracts.in_force(self.session, case=self.case)
        pathway = next(c for c in signed.conditions if c.type == ConditionType.PATHWAY.value)
        breaches.record_conduct(
            self.session,
            actor=self.navigator,
            case=self.case,
            report=ConductReport(
                condition_id=pathway.id,
                occurred_on=local_today(at) - timedelta(days=1),
                source="navigator",
                summary="Shouted at staff and left a group session at the partner service.",
            ),
            seen_version=self.case.version,
            now=at,
        )
        self.then(at + timedelta(days=1, hours=5), self.answer_breach)

    def unmet_condition(self, at: datetime) -> None:
        """The scheduler's sweep the morning after the due date raises this case's breach."""
        if not self.running():
            return
        if breach_raising.raise_for_unmet_conditions(self.session, now=at) != 1:
            raise RuntimeError(f"Cohort case {self.case.reference}: the sweep raised other breaches than its own.")
        self.then(at + timedelta(hours=4), self.answer_breach)

    # ---- conditions, the victim, completion -----------------------------------------------------

    def meet(self, position: int) -> Callable[[datetime], None]:
        def step(at: datetime) -> None:
            if not self.running() or self.case.case_state is S.SUSPENDED:
                return
            condition = next(
                c for c in contracts.in_force(self.session, case=self.case).conditions if c.position == position
            )
            if condition.status == "met":
                return
            rule = CompletionRule(condition.rule)
            still = max((condition.target or 1) - condition.achieved, 1)
            progress.record_progress(
                self.session,
                actor=self.navigator,
                case=self.case,
                condition_id=condition.id,
                happened_on=local_today(at),
                amount=still if rule in (CompletionRule.SESSIONS, CompletionRule.HOURS) else None,
                evidence="partner_confirmation",
                note="Confirmed by the partner.",
                at_risk=False,
                now=at,
            )

        return step

    def complete(self, at: datetime) -> None:
        """At the end of the term (moved on by any suspension): the exit assessment, completion review
        asked for by the navigator, and the supervisor's sign-off with Outcome 22."""
        if self.case.case_state is not S.ACTIVE:
            return
        ends_on = suspensions.term_end(self.session, case=self.case)
        if local_today(at) <= ends_on:
            self.then(self.at(ends_on + timedelta(days=1), "10:00"), self.complete)
            return
        fate = self.fate
        if fate.exit_assessed:
            exit_needs = {domain: max(level - 1 - fate.number % 2, 0) for domain, level in fate.needs}
            self.assess(at=at - timedelta(hours=2), needs={d: n for d, n in exit_needs.items() if n}, stage=Stage.EXIT)
        self.give_owed(at - timedelta(minutes=30))
        self.request_completion(at=at)
        self.then(self.at(local_today(at) + timedelta(days=fate.step_days[3]), "15:00"), self.sign_off_step)

    def give_owed(self, at: datetime) -> None:
        for update in victim_updates.for_case(self.session, case=self.case):
            if update.owed and update.given_on is None:
                victim_updates.record_given(
                    self.session,
                    actor=self.navigator,
                    update=update,
                    given_on=local_today(at),
                    method="phone",
                    summary="Told them the contract is nearly finished.",
                    seen_version=update.version,
                    now=at,
                )

    def sign_off_step(self, at: datetime) -> None:
        if self.case.case_state is not S.COMPLETION_REVIEW:
            return
        completion_sign_off.sign_off(
            self.session,
            actor=self.staff.supervisor,
            case=self.case,
            rationale="Every condition met and the check-ins kept: no further action, Outcome 22.",
            exit_not_done_reason="" if self.fate.exit_assessed else "Moved away for work before the last meeting.",
            seen_version=self.case.version,
            now=at,
        )
        self.owe_updates(at)


ENOUGH = "A further failure after a final warning: the contract ends."
TERMINATE_RATIONALE = {
    BreachKind.UNACCEPTABLE_ABSENCE.value: "A third unexplained absence after a final warning: the contract ends.",
    BreachKind.NEW_OFFENCE.value: "A new offence during the contract, admitted in interview: the contract ends.",
    BreachKind.WITHDRAWAL.value: "The person has withdrawn their consent and will not continue: the contract ends.",
}
FINAL_WARNING_RATIONALE = {
    BreachKind.UNACCEPTABLE_ABSENCE.value: "A second unexplained absence: a final warning.",
    BreachKind.CONDUCT.value: "Behaviour at the partner service breached the condition: a final warning.",
    BreachKind.CONDITION_NOT_MET.value: "The condition was not met by its date: a final warning.",
}
