"""One person of the demo cohort walked from the custody desk to wherever their fate
(casework/demo_cohort_plan.py) has reached by the demo's "now": the gate and the offer, the
navigator's first contact, assessment and referral, and the contract signed or refused.
casework/demo_cohort_contract.py carries on from the signature.

As in the rest of the demo, each step is the service call a user would have made, by whom and when.
A step that would fall after the demo's "now" (less two hours, as the stories keep) is not taken:
the walk stops there, and the case rests in the state it has reached.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from casework.demo_cohort_plan import Fate
from casework.demo_desk import ELIGIBLE_ANSWERS
from casework.demo_outcomes import OutcomeWalk
from casework.domain.clock import from_local, local, local_today
from casework.domain.gate_questions import SECTIONS, Section
from casework.domain.lifecycle import CaseState
from casework.domain.time_limits import add_months, add_working_days
from casework.models import Person
from casework.services import cases, checklist, contract_signing, people, prosecution, victim_updates, victims
from casework.services.people import Monitoring, PersonDetails
from casework.services.victims import VictimDetails


class NotYet(Exception):
    """The next step of a walk falls after the demo's "now": the case rests where it is."""


# The answers that make each reason code apply (DOMAIN.md §2.4); the offence and the age are the plan's.
FAILING_ANSWERS = {
    "ON_BAIL_OTHER_MATTER": {"on_bail_other_matter": "yes"},
    "SUBJECT_TO_ORDER": {"subject_to_court_order": "yes"},
    "DENIES_OFFENCE": {"admission_stance": "denial", "mitigating": ["none"]},
    "CO_ACCUSED": {"has_co_accused": "yes"},
    "GRAVITY_TOO_HIGH": {"aggravating": ["weapon"], "mitigating": ["none"]},
    "CUSTODY_LIKELY": {"custody_likely": "yes"},
    "LOCAL_EXCLUSION": {"local_exclusion": "yes", "local_exclusion_which": "foreign_national"},
}
STANCES = ("full_admission",) * 5 + ("accepts_responsibility", "no_reply_with_evidence")
NOT_OFFERED_DETAIL = {
    "officer_discretion": "Eligible, but lives outside the navigators' travel area and has no transport; "
    "a community resolution with a referral to local services suits better.",
    "custody_likely": "Eligible on the checklist, but the CPS advised that the facts disclosed later make a "
    "custodial sentence likely.",
    "other": "The person is moving abroad for work within the month and could not complete a contract.",
}
DECLINE_DETAIL = {"other": "Said they would rather accept a caution and have it over with today."}
DECISION_RATIONALE = {
    "charged": "The contract ended on the breach; the evidence supports a charge and it is in the public interest.",
    "alternative": "A simple caution is proportionate: the person admitted the offence and the harm was low.",
    "no_further_action": "Further action is not in the public interest: the person has since engaged with "
    "the Recovery Hub on their own.",
    "evidential": "The key witness has withdrawn their statement; there is no longer a realistic prospect of "
    "conviction.",
}


@dataclass
class CohortWalk(OutcomeWalk):
    """A cohort member's walk: the story's steps with this person's answers, dates and choices."""

    fate: Fate | None = None
    # What is still to happen, as (moment, order, step): worked through in time order (ContractWalk).
    agenda: list[tuple[datetime, int, Callable[[datetime], None]]] = field(default_factory=list)
    order: itertools.count = field(default_factory=itertools.count)

    # ---- when ----------------------------------------------------------------------------------

    @property
    def cutoff(self) -> datetime:
        return self.ago(hours=2)

    def at(self, day: date, clock: str) -> datetime:
        return from_local(day, time.fromisoformat(clock))

    def when(self, moment: datetime) -> datetime:
        """The moment, if it has come; otherwise the walk stops here."""
        if moment > self.cutoff:
            raise NotYet
        return moment

    def then(self, moment: datetime, step: Callable[[datetime], None]) -> None:
        heapq.heappush(self.agenda, (moment, next(self.order), step))

    @property
    def gate_day(self) -> date:
        return self.day(self.fate.gate_days_ago)

    # ---- the custody desk, with this person's answers --------------------------------------------

    def _person(self, *, at: datetime, age_years: int) -> Person:
        # A birthday 30 to 330 days after the gate: `age_years` old on the day of the offer.
        born = add_months(self.gate_day, -12 * (age_years + 1)) + timedelta(days=self.fake.random_int(30, 330))
        details = PersonDetails(
            given_names=self.fake.first_name(),
            family_name=self.fake.last_name(),
            date_of_birth=born,
            address_line_1=self.fake.street_address(),
            town=self.fake.city(),
            postcode=self.fake.postcode(),
            phone=self.fake.phone_number()[:30],
            preferred_language="cy" if self.fake.random_int(0, 19) == 0 else "en",
        )
        fate = self.fate
        monitoring = Monitoring(ethnicity=fate.ethnicity, sex=fate.sex, disability=fate.disability)
        return people.create_person(
            self.session, actor=self.staff.sergeant, details=details, monitoring=monitoring, now=at
        )

    def answer_checklist(self, *, at: datetime, sections: tuple[Section, ...] = SECTIONS) -> None:
        fate = self.fate
        decided = local(self.case.arrested_at + timedelta(hours=1))
        stance = STANCES[fate.number % len(STANCES)]
        given = {
            **ELIGIBLE_ANSWERS,
            "evidential_decided_on": decided.date().isoformat(),
            "evidential_decided_time": f"{decided:%H:%M}",
            "admission_stance": stance,
            "mitigating": ["early_admission"] if stance == "full_admission" else ["impulsive"],
            "previous_convictions": str(fate.previous_convictions),
            "victim_view": fate.victim_view,
            "risk_band": "moderate" if fate.number % 2 else "none",
            "risk_band_source": "Force risk assessment (advisory), supplied by the custody inspector",
        }
        if fate.previous_convictions:
            given["last_conviction_on"] = (self.gate_day - timedelta(days=fate.last_conviction_days_before)).isoformat()
            # Relevant recent offending aggravates; the mitigation keeps the score where it was.
            if fate.previous_convictions >= 6:
                given["aggravating"] = ["offending_history"]
        given.update(FAILING_ANSWERS.get(fate.failing, {}))
        for section in sections:
            checklist.answer_section(
                self.session,
                actor=self.staff.sergeant,
                case=self.case,
                section=section,
                answers={q.key: given.get(q.key, "") for q in section.questions},
                seen_version=self.case.version,
                now=at,
            )
        if self.case.provisional_eligible is (fate.offer == "ineligible"):
            raise RuntimeError(f"Cohort member {fate.number}: the checklist found {self.case.reason_codes or 'none'}.")

    def victim_details(self) -> VictimDetails:
        fate = self.fate
        by_phone = fate.number % 3 != 0
        return VictimDetails(
            views=victims.FROM_CHECKLIST[fate.victim_view].value,
            not_sought_reason="Not yet reached: the officer in the case is arranging a visit.",
            views_in_words="",
            wants_restorative=fate.victim_wants_restorative,
            enhanced_ground=None,
            wants_updates=fate.victim_wants_updates,
            contact_method="phone" if by_phone else "through_officer",
            contact_name=f"Store manager, {self.fake.company()}" if fate.offence == "THEFT-SHOP" else self.fake.name(),
            contact_phone=self.fake.phone_number()[:30] if by_phone else "",
        )

    def offer(self, at: datetime) -> None:
        """The sergeant's record of the offer: not offered, declined, or consent and the referral."""
        fate, sergeant = self.fate, self.staff.sergeant
        if fate.offer in ("ineligible", "not_offered"):
            cases.record_not_offered(
                self.session,
                actor=sergeant,
                case=self.case,
                reason=fate.offer_reason,
                detail=NOT_OFFERED_DETAIL.get(fate.offer_reason, ""),
                alternative_outcome=fate.alternative,
                seen_version=self.case.version,
                now=at,
            )
            return
        if fate.offer == "declined":
            cases.record_declined(
                self.session,
                actor=sergeant,
                case=self.case,
                reason=fate.offer_reason,
                detail=DECLINE_DETAIL.get(fate.offer_reason, ""),
                solicitor_present=fate.offer_reason == "legal_advice" or fate.number % 2 == 0,
                consequences_explained=True,
                alternative_outcome=fate.alternative,
                seen_version=self.case.version,
                now=at,
            )
            return
        if fate.victim_view != "no_victim" and fate.victim_record_at_offer:
            victims.record_at_offer(
                self.session, actor=sergeant, case=self.case, details=self.victim_details(), seen_version=0, now=at
            )
        self.accept(at=at + timedelta(minutes=5), appointment_days=fate.first_appointment_days)
        if self.case.case_state is CaseState.PENDING_ACCEPTANCE:
            cases.decide_acceptance(
                self.session,
                actor=self.staff.supervisor,
                case=self.case,
                accept=True,
                rationale="",
                seen_version=self.case.version,
                now=self.when(self.at(self.gate_day + timedelta(days=1), "08:30")),
            )

    # ---- with the navigator team ---------------------------------------------------------------

    def navigator_for(self):
        return self.staff.navigator2 if self.fate.navigator else self.staff.navigator

    def before_the_contract(self) -> None:
        """From allocation to the person's answer to the contract; stops at a refusal or no contact."""
        fate = self.fate
        self.allocate(self.navigator_for(), at=self.when(self.at(self.gate_day + timedelta(days=1), "09:00")))
        met = self.case.first_appointment_at
        if fate.course == "no_contact":
            self.note(
                at=self.when(met + timedelta(days=1)),
                body="Did not come to the first appointment. Phoned twice and wrote to the address given.",
            )
            ended = self.when(self.at(local_today(met) + timedelta(days=16), "15:00"))
            self.end_for_no_contact(at=ended)
            self.then(self.decision_moment(ended), self.prosecution_step)
            return
        self.when(met + timedelta(minutes=30))
        self.first_contact()
        if fate.victim_view != "no_victim" and not fate.victim_record_at_offer:
            victims.record_later(
                self.session,
                actor=self.navigator,
                case=self.case,
                details=self.victim_details(),
                seen_version=0,
                now=self.when(met + timedelta(hours=3)),
            )
        assessed = self.at(local_today(met) + timedelta(days=fate.step_days[0]), "11:00")
        self.when(assessed + timedelta(minutes=50))
        self.assess(at=assessed, needs=dict(fate.needs))
        referred = assessed + timedelta(days=1, hours=-1)
        statuses = ("acknowledged", "appointment_offered", "attended")
        fits = tuple(s for k, s in enumerate(statuses, 1) if referred + timedelta(days=k) <= self.cutoff)
        self.refer_to_partner(at=self.when(referred), pathway=fate.needs[0][0], statuses=fits)
        drafted = self.when(self.at(local_today(assessed) + timedelta(days=fate.step_days[1]), "14:00"))
        contract = self.draft_contract(at=drafted, due_in_days=70 + fate.number % 20)
        answered = self.when(self.at(local_today(drafted) + timedelta(days=fate.step_days[2]), "10:00"))
        if fate.course == "refuses":
            contract_signing.record_agreement(
                self.session,
                actor=self.navigator,
                case=self.case,
                agreement="does_not_agree",
                reason="Does not want to attend the Recovery Hub; would rather take the charge to court.",
                seen_version=contract.version,
                now=answered,
            )
            self.then(self.decision_moment(answered), self.prosecution_step)
            return
        self.agree(contract, at=answered)
        self.sign(contract, at=self.when(answered + timedelta(minutes=30)))

    # ---- the prosecution decision ---------------------------------------------------------------

    def decision_moment(self, ended: datetime) -> datetime:
        """The custody sergeant decides a few days after the case ended."""
        return self.at(local_today(ended) + timedelta(days=self.fate.step_days[3] + 2), "11:00")

    def decide_prosecution(self, at: datetime) -> None:
        """By the route the plan chose; a charge gives its wording and a court date three weeks on."""
        route, code = self.fate.decision
        if route != "charged":
            self.close(route, code, DECISION_RATIONALE[route], at=at)
            return
        charged_on = local_today(at)
        offence = self.case.offences[0].offence
        prosecution.record_decision(
            self.session,
            actor=self.staff.sergeant,
            case=self.case,
            route=route,
            code=code,
            rationale=DECISION_RATIONALE[route],
            charge_wording=f"On {self.case.offence_last_on:%d/%m/%Y} at {self.case.offence_place}, "
            f"committed the offence of {offence.title.lower()}.",
            charged_on=charged_on,
            court_date=add_working_days(charged_on, 15),
            seen_version=self.case.version,
            now=at,
        )

    def prosecution_step(self, at: datetime) -> None:
        self.decide_prosecution(at)
        self.owe_updates(at)

    def owe_updates(self, moment: datetime) -> None:
        """The victim's updates owed so far, given within the Victims' Code deadline; one in eight
        a few days late."""
        late = self.fate.number % 8 == 0

        def give(at: datetime) -> None:
            for update in victim_updates.for_case(self.session, case=self.case):
                if update.owed and update.given_on is None and update.event_on <= local_today(at):
                    victim_updates.record_given(
                        self.session,
                        actor=self.navigator,
                        update=update,
                        given_on=local_today(at),
                        method="phone",
                        summary="Told them how the contract is going, as they asked.",
                        seen_version=update.version,
                        now=at,
                    )

        day = add_working_days(local_today(moment), 7 if late else 1 + self.fate.number % 3)
        self.then(self.at(day, "12:00"), give)
