"""Pseudonyms for evaluators' exports (DOMAIN.md §8.2, §9): a keyed hash (HMAC-SHA256) of a record's
id under an export key's secret. The same key always gives a record the same pseudonym, so an
evaluator can link a later follow-up export to an earlier one; without the secret, a pseudonym
cannot be turned back into an id (ids are small and sequential, so a plain hash could be reversed
by trying them all), and two keys' pseudonyms cannot be matched with each other."""

from __future__ import annotations

import hashlib
import hmac

# What each kind of record's pseudonym starts with, so a reader can tell a person from a case.
PREFIXES = {"person": "P", "case": "C"}
# 16 hex digits (64 bits): among a million people the chance of any two sharing one is about 1 in 37
# million, and it still fits a spreadsheet column.
LENGTH = 16


def pseudonym(secret: str, kind: str, number: int) -> str:
    """`secret` is the key's hex secret; the kind is in the hashed message too, so person 7 and
    case 7 get unrelated pseudonyms."""
    message = f"{kind}:{number}".encode()
    digest = hmac.new(bytes.fromhex(secret), message, hashlib.sha256).hexdigest()
    return f"{PREFIXES[kind]}-{digest[:LENGTH].upper()}"
