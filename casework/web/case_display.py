"""The one way a view fetches a case it will show: access checked by the service, and a
consultation recorded (DPA 2018 s.62) once the page has been shown to the user.

A form refused and shown again is a page view and is recorded; a redirect after a change is not
(the change has its own audit event, and the page it leads to records its own view).
"""

from __future__ import annotations

from flask import after_this_request, request
from flask_login import current_user

from casework.domain.roles import Action
from casework.services import case_views
from casework.web import clock
from casework.web.database import db, write_from_here

# The statuses of a page that shows the case: the page itself, or a form shown again with errors.
SHOWN = frozenset({200, 400, 409})


def displayed_case(case_id: int, action: Action):
    case = case_views.case_for_display(db(), actor=current_user, case_id=case_id, action=action)
    page, scope = request.endpoint, "status" if action is Action.SEE_CASE_STATUS else "full"

    @after_this_request
    def record(response):
        if response.status_code in SHOWN and response.mimetype == "text/html":
            # Its own short write after the page is built (DESIGN.md §3), whatever the view rolled back.
            case_views.record_consultation(
                write_from_here(), actor=current_user, case=case, page=page, scope=scope, now=clock.now()
            )
            db().commit()
        return response

    return case
