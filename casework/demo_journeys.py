"""A demo case with the navigator team: allocation, first contact, the needs assessment, partner
referrals, notes, the contract from draft to signed and varied, and check-ins held.

The walk starts at the custody desk (casework/demo_desk.py); each step here, too, is the service
call a user would have made, by whom and when.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from casework.demo_desk import DeskWalk
from casework.domain.clock import local_today
from casework.domain.contract_terms import CompletionRule, ConditionType, DraftCondition
from casework.domain.lifecycle import CaseState
from casework.domain.needs import NEED_DOMAINS, DomainInput, Safeguarding, SafeguardingInput, Stage
from casework.models import Contract, User
from casework.services import (
    allocation,
    assessment,
    assessment_journey,
    case_endings,
    case_notes,
    check_in_outcomes,
    check_ins,
    contract_signing,
    contracts,
    progress,
    referrals,
    variations,
)
from casework.services.check_in_outcomes import OutcomeRecord
from casework.services.contract_signing import Signing


class Walk(DeskWalk):
    """The whole walk, from the custody desk to a varied contract."""

    @property
    def navigator(self) -> User:
        """Whoever the case is allocated to; a case not yet allocated is worked by the first navigator."""
        return self.case.navigator or self.staff.navigator

    def allocate(self, navigator: User, *, at: datetime) -> None:
        allocation.allocate(
            self.session,
            actor=self.staff.supervisor,
            case=self.case,
            navigator=navigator,
            reason="",
            seen_version=self.case.version,
            now=at,
        )

    def end_for_no_contact(self, *, at: datetime) -> None:
        case_endings.end_for_no_contact(
            self.session,
            actor=self.staff.supervisor,
            case=self.case,
            reason="No contact since the referral: missed the first appointment and did not answer calls or letters.",
            seen_version=self.case.version,
            now=at,
        )

    def first_contact(self) -> None:
        """Met at the first appointment, and recorded half an hour later."""
        met = self.case.first_appointment_at
        assessment.record_first_contact(
            self.session,
            actor=self.navigator,
            case=self.case,
            contact_at=met,
            method="in_person",
            seen_version=self.case.version,
            now=met + timedelta(minutes=30),
        )

    def assess(
        self,
        *,
        at: datetime,
        needs: dict[str, int],
        pages: int | None = None,
        flag: bool = False,
        stage: Stage = Stage.ENTRY,
    ) -> None:
        """An assessment, the entry one unless told: `needs` maps the domains linked to the offending
        to their level (in the person's order of priority). With `pages`, only that many pages are
        saved: a draft."""
        draft = assessment_journey.start(self.session, actor=self.navigator, case=self.case, stage=stage, now=at)
        ranked = list(needs)
        for saved, (domain, _label) in enumerate(NEED_DOMAINS):
            if pages is not None and saved >= pages:
                return
            level = needs.get(domain, 0)
            answers = DomainInput(
                domain,
                level,
                domain in needs,
                person_priority=ranked.index(domain) + 1 if domain in needs else None,
                strengths=NEED_STRENGTHS.get(domain, "") if level else "",
                consent_to_refer=domain in needs,
            )
            assessment_journey.save_domain(
                self.session,
                actor=self.navigator,
                case=self.case,
                stage=stage,
                answers=answers,
                seen_version=draft.version,
                now=at + timedelta(minutes=3 * saved),
            )
        flags = (
            {Safeguarding.SELF_HARM: "Safety plan agreed; referred to the crisis team the same day."} if flag else {}
        )
        later = at + timedelta(minutes=50)
        assessment_journey.save_safeguarding(
            self.session,
            actor=self.navigator,
            case=self.case,
            stage=stage,
            answers=SafeguardingInput(ticked=frozenset(flags), actions=dict(flags), no_concerns=not flags),
            seen_version=draft.version,
            now=later,
        )
        assessment_journey.complete(
            self.session, actor=self.navigator, case=self.case, stage=stage, seen_version=draft.version, now=later
        )

    def refer_to_partner(self, *, at: datetime, pathway: str, statuses: tuple[str, ...] = ()) -> None:
        """A referral to the team's service for this need, then the partner's news, a day apart."""
        service = next(s for s in referrals.directory(self.session, actor=self.navigator) if s.pathway == pathway)
        referral = referrals.send_referral(
            self.session,
            actor=self.navigator,
            case=self.case,
            service_id=service.id,
            need_domain=pathway,
            sent_on=local_today(at),
            method="secure_email",
            data_shared=["name", "date_of_birth", "contact_details", "reason", "navigator_contact"],
            consent_recorded=True,
            now=at,
        )
        for later, status in enumerate(statuses, start=1):
            when = at + timedelta(days=later)
            referrals.update_status(
                self.session,
                actor=self.navigator,
                referral=referral,
                case=self.case,
                status=status,
                happened_on=local_today(when),
                evidence="partner_confirmation" if status in ("attended", "completed") else "",
                note="",
                seen_version=referral.version,
                now=when,
            )

    def note(self, *, at: datetime, body: str, by: User | None = None) -> None:
        case_notes.add_note(self.session, actor=by or self.navigator, case=self.case, body=body, now=at)

    # ---- the contract --------------------------------------------------------------------------

    def draft_contract(self, *, at: datetime, due_in_days: int = 84) -> Contract:
        """Started from the assessment's suggestions, then each pathway condition given its date."""
        contract = contracts.start_contract(
            self.session, actor=self.navigator, case=self.case, seen_version=self.case.version, now=at
        )
        for condition in list(contract.conditions):
            if condition.type == ConditionType.PATHWAY.value:
                self._give_due_date(contract, condition, local_today(at) + timedelta(days=due_in_days), at=at)
        return contract

    def _give_due_date(self, contract: Contract, condition, due_on: date, *, at: datetime) -> None:
        contracts.update_condition(
            self.session,
            actor=self.navigator,
            case=self.case,
            condition_id=condition.id,
            condition=DraftCondition(
                type=ConditionType(condition.type),
                wording=condition.wording,
                rule=CompletionRule(condition.rule),
                target=condition.target,
                due_on=due_on,
                partner_service_id=condition.partner_service_id,
            ),
            seen_version=contract.version,
            now=at,
        )

    def agree(self, contract: Contract, *, at: datetime) -> None:
        contract_signing.record_agreement(
            self.session,
            actor=self.navigator,
            case=self.case,
            agreement="agrees",
            reason="",
            seen_version=contract.version,
            now=at,
        )

    def sign(self, contract: Contract, *, at: datetime) -> None:
        """The navigator records the signing; when the term would end too close to the latest charge
        date, the supervisor records it and the risk they accept (DOMAIN.md §3.4)."""
        signed_at = at - timedelta(minutes=20)
        late = contract_signing.needs_supervisor(
            self.session, case=self.case, contract=contract, signed_on=local_today(signed_at), now=at
        )
        contract_signing.sign(
            self.session,
            actor=self.staff.supervisor if late else self.navigator,
            case=self.case,
            signing=Signing(
                signed_at=signed_at,
                place=f"Navigator office, {self.staff.area}",
                language=self.case.person.preferred_language,
                interpreter_present=False,
                appropriate_adult_present=False,
                solicitor_present=False,
                person_signature="wet_ink",
                signature_name="",
                copy_given="paper",
                explained_by_id=self.case.navigator_id,
                risk_accepted=RISK_ACCEPTED if late else "",
            ),
            seen_version=contract.version,
            now=at,
        )

    def record_sessions(self, *, days_ago: tuple[int, ...]) -> None:
        """A session attended with each pathway condition's partner on each of these days."""
        signed = contracts.in_force(self.session, case=self.case)
        for condition in [c for c in signed.conditions if c.type == ConditionType.PATHWAY.value]:
            for days in days_ago:
                progress.record_progress(
                    self.session,
                    actor=self.navigator,
                    case=self.case,
                    condition_id=condition.id,
                    happened_on=self.day(days),
                    amount=1,
                    evidence="partner_confirmation",
                    note="Attended and took part.",
                    at_risk=False,
                    now=self.on(days - 1, "09:30") if days > 1 else self.ago(minutes=30),
                )

    def hold_check_ins(self, *, late: int | None = None, missed: int | None = None, unrecorded: int = 0) -> None:
        """The outcome of each check-in held so far, recorded by the navigator 40 minutes after its
        start: attended, except the `late`-th (counting from 0) and the `missed`-th, an absence the
        person explained the next day with a doctor's note. The last `unrecorded` are left for the
        navigator to record, as the home page's banner asks."""
        held = [
            c
            for c in check_ins.for_case(self.session, case=self.case)
            if c.is_open and c.scheduled_at < self.ago(hours=2)
        ]
        for index, check_in in enumerate(held[: len(held) - unrecorded]):
            at = check_in.scheduled_at + timedelta(minutes=40)
            if index == missed:
                record = OutcomeRecord(outcome="pending_explanation", note="No answer to two calls.")
            elif index == late:
                record = OutcomeRecord(
                    outcome="late", engagement=3, late_minutes=25, late_reason="The bus did not come."
                )
            else:
                record = OutcomeRecord(outcome="attended_complied", engagement=3 + index % 3)
            self.record_outcome(check_in, record, at=at)
            if index == missed:
                explained = OutcomeRecord(
                    outcome="acceptable_absence",
                    absence_reason="medical",
                    absence_detail="In A&E overnight; brought the discharge letter.",
                    evidence_seen=True,
                )
                self.classify(check_in, explained, at=min(at + timedelta(days=1), self.ago(hours=1)))

    def record_outcome(self, check_in, record: OutcomeRecord, *, at: datetime) -> None:
        """The navigator records what happened at a check-in."""
        check_in_outcomes.record_outcome(
            self.session,
            actor=self.navigator,
            case=self.case,
            check_in=check_in,
            record=record,
            seen_version=check_in.version,
            now=at,
        )

    def classify(self, check_in, record: OutcomeRecord, *, at: datetime) -> None:
        """The navigator decides whether an absence awaiting explanation was acceptable."""
        check_in_outcomes.classify_absence(
            self.session,
            actor=self.navigator,
            case=self.case,
            check_in=check_in,
            record=record,
            seen_version=check_in.version,
            now=at,
        )

    def vary(self, *, at: datetime, extend_weeks: int = 4) -> None:
        """A variation asked for, its dates moved with the term, and the person's agreement: it then
        waits for a supervisor's approval while the signed version stays in force."""
        signed = contracts.in_force(self.session, case=self.case)
        variation = variations.start_variation(
            self.session,
            actor=self.navigator,
            case=self.case,
            reason="The partner's waiting list delayed the first sessions",
            consent=True,
            extend_weeks=extend_weeks,
            seen_version=signed.version,
            now=at,
        )
        for condition in [c for c in variation.conditions if c.due_on is not None]:
            self._give_due_date(variation, condition, condition.due_on + timedelta(weeks=extend_weeks), at=at)
        self.agree(variation, at=at + timedelta(minutes=10))


def reached(walk: Walk, state: CaseState) -> None:
    """The state the walk was meant to reach: a demo that silently stopped short would mislead."""
    if walk.case.case_state is not state:
        raise RuntimeError(f"Demo case {walk.case.reference} is '{walk.case.case_state.label}', not '{state.label}'.")


NEED_STRENGTHS = {
    "drugs": "Wants to stop and has asked for help before.",
    "alcohol": "Has cut down with support from family.",
    "accommodation": "On the council's housing list; a friend can put them up for now.",
    "finance": "Keeps a budget and wants advice on two debts.",
    "mental_health": "Registered with a GP and willing to talk to the wellbeing service.",
    "education_employment": "Has a forklift licence and is looking for warehouse work.",
}
RISK_ACCEPTED = (
    "The offence was reported six weeks late, so the term ends close to the latest charge date. Accepted: "
    "the person is engaging well, and any breach will be reviewed at once so the file is ready in time."
)
