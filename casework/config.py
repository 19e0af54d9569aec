"""Settings read from CASEWORK_* environment variables (documented in README.md)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    secure_cookies: bool
    migrate_on_start: bool
    force_name: str
    service_name: str = "Checkpoint casework"

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
