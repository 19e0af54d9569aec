"""How a message leaves the service: SMTP for email, GOV.UK Notify for SMS and (when it has an
email template) email. Each transport sends one message or raises DeliveryFailed, saying whether
trying again could help. Nothing here touches the database: the sender calls these after commit."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol

from casework.config import Messaging


@dataclass(frozen=True)
class Outgoing:
    id: int
    channel: str
    recipient: str
    subject: str
    body: str
    language: str


class DeliveryFailed(Exception):
    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Transport(Protocol):
    def send(self, message: Outgoing) -> str | None:
        """The provider's reference for the message, if it gives one."""


class SmtpEmail:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.starttls, self.username, self.password, self.timeout = starttls, username, password, timeout

    def send(self, message: Outgoing) -> str | None:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Date"] = formatdate(localtime=False)
        email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}")
        email["Content-Language"] = message.language
        email.set_content(message.body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as refused:
            reason = _smtp_reason(refused)
            raise DeliveryFailed(f"The mail server refused the address: {reason}", permanent=True) from None
        except smtplib.SMTPResponseException as error:
            # 5xx is the server's final word; 4xx asks us to try later.
            permanent = 500 <= error.smtp_code < 600
            reason = f"The mail server said {error.smtp_code}: {_text(error.smtp_error)}"
            raise DeliveryFailed(reason, permanent=permanent) from None
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryFailed(f"Could not reach the mail server {self.host}:{self.port}: {error}") from None
        return email["Message-ID"]


class NotifyEmail:
    def __init__(self, client: Any, template_id: str) -> None:
        self.client, self.template_id = client, template_id

    def send(self, message: Outgoing) -> str | None:
        return _notify(
            lambda: self.client.send_email_notification(
                email_address=message.recipient,
                template_id=self.template_id,
                personalisation={"subject": message.subject, "body": message.body},
                reference=f"outbox-{message.id}",
            )
        )


class NotifySms:
    def __init__(self, client: Any, template_id: str) -> None:
        self.client, self.template_id = client, template_id

    def send(self, message: Outgoing) -> str | None:
        return _notify(
            lambda: self.client.send_sms_notification(
                phone_number=message.recipient,
                template_id=self.template_id,
                personalisation={"body": message.body},
                reference=f"outbox-{message.id}",
            )
        )


def _notify(call) -> str | None:
    from notifications_python_client.errors import APIError, TokenError
    from requests import RequestException

    try:
        response = call()
    except APIError as error:
        # Notify answers 400 for a bad number or address and 403 for a bad key: no retry mends those.
        raise DeliveryFailed(f"GOV.UK Notify said {error}", permanent=error.status_code in (400, 403)) from None
    except TokenError as error:
        raise DeliveryFailed(f"GOV.UK Notify refused the key: {error.message}", permanent=True) from None
    except RequestException as error:
        raise DeliveryFailed(f"Could not reach GOV.UK Notify: {error}") from None
    return str(response.get("id")) if isinstance(response, dict) and response.get("id") else None


def transports_for(messaging: Messaging, *, notify_client: Any = None) -> dict[str, Transport]:
    """The transport for each channel switched on; `notify_client` stands in for Notify in tests."""
    transports: dict[str, Transport] = {}
    if messaging.notify_api_key and notify_client is None:
        from notifications_python_client.notifications import NotificationsAPIClient

        notify_client = NotificationsAPIClient(messaging.notify_api_key)
    if messaging.email_by_notify:
        transports["email"] = NotifyEmail(notify_client, messaging.notify_email_template_id or "")
    elif messaging.smtp_host:
        transports["email"] = SmtpEmail(
            host=messaging.smtp_host,
            port=messaging.smtp_port,
            sender=messaging.smtp_from,
            starttls=messaging.smtp_starttls,
            username=messaging.smtp_username,
            password=messaging.smtp_password,
            timeout=messaging.smtp_timeout_seconds,
        )
    if messaging.sms_enabled:
        transports["sms"] = NotifySms(notify_client, messaging.notify_sms_template_id or "")
    return transports


def _smtp_reason(refused: smtplib.SMTPRecipientsRefused) -> str:
    return "; ".join(f"{code} {_text(reason)}" for code, reason in refused.recipients.values())


def _text(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
