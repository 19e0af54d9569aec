"""Logging a failure without the personal data its message may carry.

An exception's message is not safe to log: a database error quotes the statement and, on
PostgreSQL, the failing row ("Failing row contains (...)", "Key (pnc_id)=(...)"); a transport's
error can quote a phone number. So a failure is logged as its class, where it happened (the file,
line and function of each frame, never values) and a short reference. The person who saw it is
shown the same reference, so a support call can find the log line.
"""

from __future__ import annotations

import logging
import secrets
import traceback


def new_reference() -> str:
    """Eight characters, easy to read out over the phone: no 0/O or 1/I to confuse."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def describe(error: BaseException) -> str:
    """The class of the error and of each error behind it, outermost first: no message."""
    names, seen = [], set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        names.append(f"{type(current).__module__}.{type(current).__qualname__}")
        current = current.__cause__ or current.__context__
    return " <- ".join(names)


def where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    return "\n".join(f"  {frame.filename}:{frame.lineno} in {frame.name}" for frame in frames)


def log_failure(logger: logging.Logger, what: str, error: BaseException, reference: str | None = None) -> str:
    """Log `what` failed with `error` (its class and frames only) and return the reference logged."""
    reference = reference or new_reference()
    logger.error("%s: %s [reference %s]\n%s", what, describe(error), reference, where(error))
    return reference
