"""One-time tokens for create forms: a form is acted on once, however many times it is sent.

A double click, a resend after a slow response or a form sent again from the browser's history
all carry the token the form was rendered with. The first copy claims it in the same transaction
as the record it creates; a later copy is refused and told where the first one's record is. If the
first copy is refused (a mistake in the form), its claim is rolled back with everything else, so
the corrected form can still be sent.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.domain.errors import AlreadySent, FieldError
from casework.models import FormSubmission, User
from casework.services.concurrency import is_lost_race

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
FIELD = "submission_token"
EXPIRED = "This form could not be sent. Check your answers and send it again."
ALREADY_SENT = "This form was already sent, so it was not saved a second time. See what was saved."


def claim(session: Session, *, token: str, actor: User, now: datetime) -> FormSubmission:
    """Claim a create form's token. Call it before anything else is written: on PostgreSQL a copy
    sent at the same moment waits here for the first copy's transaction, holding no lock that the
    first one needs, and is then refused."""
    if not TOKEN.fullmatch(token):
        raise FieldError(FIELD, EXPIRED)
    earlier = session.get(FormSubmission, token)
    if earlier is None:
        claimed = FormSubmission(token=token, user_id=actor.id, claimed_at=now)
        try:
            with session.begin_nested():
                session.add(claimed)
            return claimed
        except IntegrityError as clash:
            earlier = session.get(FormSubmission, token) if is_lost_race(clash) else None
            if earlier is None:
                raise
    raise AlreadySent(ALREADY_SENT, link=earlier.link)


def saved(claimed: FormSubmission, *, link: str) -> None:
    """Record where the claimed form's record can be seen, for any copy that arrives later."""
    claimed.link = link
