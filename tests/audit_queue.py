"""Case views wait in a queue before they are chained (casework/services/consultation_queue.py).
A test that looks for a view's `case.viewed` event straight after the view chains the queue first,
as the next change, the scheduler's minute or the audit page would."""

from __future__ import annotations

from sqlalchemy.orm import Session

from casework.services import consultation_queue


def chain_queued_views(session: Session) -> int:
    """Chain every queued view and commit; how many there were."""
    sealed = consultation_queue.seal(session)
    session.commit()
    return sealed
