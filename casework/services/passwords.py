"""argon2id hashing. Parameters are RFC 9106's second recommendation (64 MiB, 3 passes),
above OWASP's minimum, where Werkzeug's scrypt defaults are not."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)

# Verified against when the username is unknown or sign-in is closed, so an answer takes the same
# time either way. Made by the hasher in use, whose parameters set the cost of checking it.
_dummy: tuple[PasswordHasher, str] | None = None


def _dummy_hash() -> str:
    global _dummy
    if _dummy is None or _dummy[0] is not _hasher:
        _dummy = (_hasher, _hasher.hash("casework timing equaliser passphrase"))
    return _dummy[1]


def hash_passphrase(passphrase: str) -> str:
    return _hasher.hash(passphrase)


def verify_passphrase(stored_hash: str | None, passphrase: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), passphrase) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
