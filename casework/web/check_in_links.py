"""Where a check-in is shown and where its outcome is recorded: one place builds those links.

The check-in's own pages come with the case's check-in views (`cases.check_in`,
`cases.record_check_in_outcome`); until those are registered, a link leads to the case.
"""

from __future__ import annotations

from flask import current_app, url_for

CHECK_IN_PAGE = "cases.check_in"
RECORD_OUTCOME_PAGE = "cases.record_check_in_outcome"


def _link(endpoint: str, case_id: int, check_in_id: int, external: bool) -> str:
    if endpoint in current_app.view_functions:
        return url_for(endpoint, case_id=case_id, check_in_id=check_in_id, _external=external)
    return url_for("cases.case", case_id=case_id, _external=external)


def check_in_url(case_id: int, check_in_id: int, *, external: bool = False) -> str:
    return _link(CHECK_IN_PAGE, case_id, check_in_id, external)


def record_outcome_url(case_id: int, check_in_id: int) -> str:
    return _link(RECORD_OUTCOME_PAGE, case_id, check_in_id, False)
