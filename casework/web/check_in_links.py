"""Where a check-in is shown and where its outcome is recorded: one place builds those links, for the
pages (Today, the banner's list) and for the calendar feed, whose events link back to the check-in."""

from __future__ import annotations

from flask import url_for


def check_in_url(case_id: int, check_in_id: int, *, external: bool = False) -> str:
    return url_for("check_ins.check_in", case_id=case_id, check_in_id=check_in_id, _external=external)


def record_outcome_url(case_id: int, check_in_id: int) -> str:
    return url_for("check_ins.outcome", case_id=case_id, check_in_id=check_in_id)
