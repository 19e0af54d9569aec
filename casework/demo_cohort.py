"""The demo's cohort: about 500 generated people shaped like the Checkpoint trial (DOMAIN.md §8.1),
loaded beside the stories so that the reports have a realistic funnel, compliance, fairness and
reoffending figures to show.

Each person's fate is planned first (casework/demo_cohort_plan.py, seeded), then walked through
the same services as the stories, oldest gate first (casework/demo_cohort_walk.py and
demo_cohort_contract.py), as far as the demo's "now" allows. Closing a case creates its 12- and
24-month reoffending follow-ups; the supervisor records the result of each one due by now, from
the person's planned reoffending, 5 to 14 days after it fell due (so the latest still wait). With
gates over 18 months, only 12-month checks have fallen due: about a fifth of completers have
reoffended by then, on course for the 35% by 24 months the plan gives them.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import datetime, time, timedelta

from faker import Faker
from sqlalchemy.orm import Session

from casework.demo_cohort_contract import ContractWalk
from casework.demo_cohort_plan import COHORT_SEED, COHORT_SIZE, Fate, plan
from casework.demo_cohort_walk import NotYet
from casework.demo_desk import Staff
from casework.domain.clock import from_local, local_today
from casework.models import Case
from casework.services import reoffending_follow_ups

# A check is made this many days after it falls due, up to nine more for some.
CHECKED_AFTER_DAYS = 5


# Told how many of the cohort have been walked so far, and of how many: loading takes a while.
Progress = Callable[[int, int], None]


def load(
    session: Session,
    *,
    staffs: list[Staff],
    now: datetime,
    size: int = COHORT_SIZE,
    seed: int = COHORT_SEED,
    progress: Progress | None = None,
) -> list[Case]:
    """Plan and walk the cohort across the teams in `staffs`; the cases, oldest gate first."""
    fake = Faker("en_GB")
    fates = plan(size, seed)
    walked: list[Case] = []
    for fate in fates:
        # Each person's own generator: their names and numbers do not depend on who came before.
        fake.seed_instance(seed * 10_000 + fate.number)
        staff = staffs[fate.team % len(staffs)]
        walk = ContractWalk(session, fake, staff, now, fate=fate)
        with suppress(NotYet):  # the rest of this person's story is still to come
            walk.play()
        _record_follow_ups(session, fate, walk.case, staff=staff, now=now)
        walked.append(walk.case)
        if progress and (len(walked) % 50 == 0 or len(walked) == size):
            progress(len(walked), size)
    return walked


def _record_follow_ups(session: Session, fate: Fate, case: Case, *, staff: Staff, now: datetime) -> None:
    latest = local_today(now) - timedelta(days=1)
    for task in reoffending_follow_ups.for_case(session, case=case):
        checked_on = task.due_on + timedelta(days=CHECKED_AFTER_DAYS + fate.number % 10)
        if checked_on > latest:
            continue
        months = fate.reoffends_in_months
        if fate.number % 33 == 0:
            result = "unknown"  # the PNC record could not be matched with confidence
        else:
            result = "reoffended" if months is not None and months <= task.months else "not_reoffended"
        reoffending_follow_ups.record_result(
            session,
            actor=staff.supervisor,
            task=task,
            result=result,
            source="pnc",
            source_detail="",
            checked_on=checked_on,
            seen_version=task.version,
            now=from_local(checked_on, time(10, 30)),
        )
