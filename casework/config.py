"""Settings read from CASEWORK_* environment variables (documented in README.md)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Messaging:
    """How messages leave the service: SMTP for email, GOV.UK Notify for SMS (and email when it has
    an email template). A channel with nothing to send it is switched off, and nothing is queued on it."""

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "casework@localhost"
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = 10.0
    notify_api_key: str | None = None
    # Notify templates whose content is just ((subject)) and ((body)): the wording lives here.
    notify_email_template_id: str | None = None
    notify_sms_template_id: str | None = None

    @classmethod
    def from_env(cls) -> Messaging:
        env = os.environ.get
        return cls(
            smtp_host=env("CASEWORK_SMTP_HOST") or None,
            smtp_port=int(env("CASEWORK_SMTP_PORT") or 25),
            smtp_from=env("CASEWORK_SMTP_FROM") or "casework@localhost",
            smtp_starttls=_flag("CASEWORK_SMTP_STARTTLS", False),
            smtp_username=env("CASEWORK_SMTP_USERNAME") or None,
            smtp_password=env("CASEWORK_SMTP_PASSWORD") or None,
            notify_api_key=env("CASEWORK_NOTIFY_API_KEY") or None,
            notify_email_template_id=env("CASEWORK_NOTIFY_EMAIL_TEMPLATE_ID") or None,
            notify_sms_template_id=env("CASEWORK_NOTIFY_SMS_TEMPLATE_ID") or None,
        )

    @property
    def email_by_notify(self) -> bool:
        return bool(self.notify_api_key and self.notify_email_template_id)

    @property
    def sms_enabled(self) -> bool:
        return bool(self.notify_api_key and self.notify_sms_template_id)

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host) or self.email_by_notify

    @property
    def channels(self) -> frozenset[str]:
        return frozenset(name for name, on in (("email", self.email_enabled), ("sms", self.sms_enabled)) if on)


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    secure_cookies: bool
    migrate_on_start: bool
    force_name: str
    service_name: str = "Checkpoint casework"
    messaging: Messaging = field(default_factory=Messaging)
    # How many reverse proxies stand in front of the app and append to X-Forwarded-For. Sign-in
    # throttling counts failures per client address: behind a proxy that is not declared here,
    # every client has the proxy's address and shares one counter.
    trusted_proxies: int = 0

    @classmethod
    def from_env(cls, instance_path: Path) -> Settings:
        default_db = f"sqlite:///{instance_path / 'casework.sqlite3'}"
        secret = os.environ.get("CASEWORK_SECRET_KEY") or _instance_secret(instance_path)
        return cls(
            database_url=os.environ.get("CASEWORK_DATABASE_URL", default_db),
            secret_key=secret,
            secure_cookies=_flag("CASEWORK_SECURE_COOKIES", True),
            migrate_on_start=_flag("CASEWORK_MIGRATE_ON_START", True),
            force_name=os.environ.get("CASEWORK_FORCE_NAME", "Demonstration Constabulary"),
            messaging=Messaging.from_env(),
            trusted_proxies=int(os.environ.get("CASEWORK_TRUSTED_PROXIES", "0")),
        )


def _instance_secret(instance_path: Path) -> str:
    """A per-installation key kept in the instance folder, so a laptop install needs no set-up.

    Production sets CASEWORK_SECRET_KEY: every web worker must share one key.
    """
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
