"""The audit keyring this process signs and verifies the chain with.

The key is process configuration, read from the environment when the app is made
(`create_app` installs it), like the database URL: it never goes into the database, so
someone who can only write to the database cannot recompute the chain.
"""

from __future__ import annotations

from casework.domain.audit_chain import Keyring

_installed: Keyring | None = None


def install(keyring: Keyring) -> None:
    global _installed
    _installed = keyring


def installed() -> Keyring:
    if _installed is None:
        raise RuntimeError("no audit key installed: the app sets it from CASEWORK_AUDIT_KEY when it starts")
    return _installed
