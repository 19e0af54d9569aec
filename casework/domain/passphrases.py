"""Passphrase policy: length over complexity, no well-known passwords (NCSC / NIST SP 800-63B)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from itertools import pairwise

MIN_LENGTH = 12
MAX_LENGTH = 200  # argon2 copes with more; this only stops absurd form posts


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("casework.domain").joinpath("common_passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def passphrase_problem(passphrase: str, *, username: str = "", full_name: str = "") -> str | None:
    """Return why a passphrase is refused, or None if it is acceptable."""
    if len(passphrase) < MIN_LENGTH:
        return f"Passphrase must be {MIN_LENGTH} characters or more"
    if len(passphrase) > MAX_LENGTH:
        return f"Passphrase must be {MAX_LENGTH} characters or fewer"
    folded = passphrase.lower()
    if folded in _common_passwords() or _is_one_repeated_or_sequence(folded):
        return "Passphrase is too easy to guess. Try three or more random words"
    personal = {username.lower(), *full_name.lower().split()}
    for part in personal:
        if len(part) >= 4 and part in folded and len(folded) - len(part) < MIN_LENGTH:
            return "Passphrase must not be mostly your name or username"
    return None


def _is_one_repeated_or_sequence(text: str) -> bool:
    if len(set(text)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in pairwise(text)}
    return steps in ({1}, {-1})
