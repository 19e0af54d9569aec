"""Settings read from CASEWORK_* environment variables (documented in README.md)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from casework.domain.audit_chain import Keyring, audit_key


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
    # The audit chain's key: never stored in the database. None only when the database is PostgreSQL
    # and CASEWORK_AUDIT_KEY is unset, which the app refuses to start with.
    audit_key: str | None = field(default=None, repr=False)
    audit_keys_retired: tuple[str, ...] = field(default=(), repr=False)
    audit_checkpoints: Path | None = None

    @classmethod
    def from_env(cls, instance_path: Path) -> Settings:
        default_db = f"sqlite:///{instance_path / 'casework.sqlite3'}"
        secret = os.environ.get("CASEWORK_SECRET_KEY") or _instance_secret(instance_path)
        database_url = os.environ.get("CASEWORK_DATABASE_URL", default_db)
        # A laptop on SQLite gets a key made for it; a PostgreSQL deployment must set its own.
        audit = os.environ.get("CASEWORK_AUDIT_KEY") or (
            None if database_url.startswith("postgresql") else _instance_secret(instance_path, "audit_key")
        )
        checkpoints = os.environ.get("CASEWORK_AUDIT_CHECKPOINTS")
        return cls(
            database_url=database_url,
            secret_key=secret,
            secure_cookies=_flag("CASEWORK_SECURE_COOKIES", True),
            migrate_on_start=_flag("CASEWORK_MIGRATE_ON_START", True),
            force_name=os.environ.get("CASEWORK_FORCE_NAME", "Demonstration Constabulary"),
            messaging=Messaging.from_env(),
            trusted_proxies=int(os.environ.get("CASEWORK_TRUSTED_PROXIES", "0")),
            audit_key=audit,
            audit_keys_retired=tuple(os.environ.get("CASEWORK_AUDIT_KEYS_RETIRED", "").replace(",", " ").split()),
            audit_checkpoints=Path(checkpoints) if checkpoints else instance_path / "audit-checkpoints.jsonl",
        )

    def audit_keyring(self) -> Keyring:
        """The key new audit events are signed with and the retired ones, oldest first, kept to verify."""
        if not self.audit_key:
            raise RuntimeError(
                "CASEWORK_AUDIT_KEY must be set when the database is PostgreSQL: 64 random hex digits "
                "(python -c 'import secrets; print(secrets.token_hex(32))'), the same for every process, "
                "kept outside the database"
            )
        return Keyring(current=audit_key(self.audit_key), retired=tuple(audit_key(k) for k in self.audit_keys_retired))


def _instance_secret(instance_path: Path, name: str = "secret_key") -> str:
    """A per-installation key kept in the instance folder, so a laptop install needs no set-up.

    Production sets CASEWORK_SECRET_KEY (and CASEWORK_AUDIT_KEY): every process must share one key.
    """
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / name
    if not key_file.exists():
        # `make run` starts the web server and the scheduler together: if both make a key, the first
        # one written must win, or events would be chained under two keys. A link is created whole
        # or not at all, so the key appears with its content and is never overwritten.
        draft = instance_path / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            draft.unlink()
    return key_file.read_text().strip()
