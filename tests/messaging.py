"""Helpers for the message tests: a real SMTP server on loopback, a stand-in for the GOV.UK Notify
client with the same interface, sessions like the sender's, and a check-in with a consenting person."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from casework.domain.check_ins import Mode
from casework.domain.roles import Role
from casework.models import Case, CheckIn, Team
from tests.conftest import NOW, make_case, make_person, make_user


def free_port() -> int:
    """A port nothing listens on (bound and released), for a refused connection or a new server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@dataclass
class FakeNotifyClient:
    """What notifications_python_client.NotificationsAPIClient offers for sending; records each call."""

    sms: list[dict] = field(default_factory=list)
    emails: list[dict] = field(default_factory=list)
    fail_with: Exception | None = None

    def send_sms_notification(
        self, phone_number, template_id, personalisation=None, reference=None, sms_sender_id=None
    ):
        if self.fail_with:
            raise self.fail_with
        self.sms.append(
            {
                "phone_number": phone_number,
                "template_id": template_id,
                "personalisation": personalisation,
                "reference": reference,
            }
        )
        return {"id": f"notify-sms-{len(self.sms)}"}

    def send_email_notification(self, email_address, template_id, personalisation=None, reference=None, **_options):
        if self.fail_with:
            raise self.fail_with
        self.emails.append(
            {
                "email_address": email_address,
                "template_id": template_id,
                "personalisation": personalisation,
                "reference": reference,
            }
        )
        return {"id": f"notify-email-{len(self.emails)}"}


def savepoint_sessions(connection):
    """Sessions as the sender opens them, on the test's connection: each commit ends a savepoint."""
    return lambda: Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


def case_with_consent(
    session: Session,
    *,
    team: Team,
    language: str = "en",
    by_email: bool = True,
    by_sms: bool = False,
    email: str | None = "sam@example.org",
    phone: str | None = "07700 900123",
    navigator=None,
) -> Case:
    navigator = navigator or make_user(session, roles=[Role.NAVIGATOR], team=team)
    team.phone, team.email = "0191 555 0100", "navigators@example.police.uk"
    person = make_person(
        session,
        creator=navigator,
        given_names="Sam" if language == "en" else "Siân",
        preferred_language=language,
        reminder_by_email=by_email,
        reminder_by_sms=by_sms,
        email=email,
        phone=phone,
    )
    return make_case(session, team=team, person=person, navigator_id=navigator.id)


def check_in(
    session: Session, case: Case, at: datetime, *, mode: str = Mode.IN_PERSON, place="Navigator office, 1 Court Lane"
) -> CheckIn:
    booked = CheckIn(case_id=case.id, scheduled_at=at, mode=mode, place=place, source="added", created_at=NOW)
    session.add(booked)
    session.flush()
    return booked
