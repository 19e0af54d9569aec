"""Sign-in back-off: slows guessing without ever locking an account for good.

Failures are counted three ways, so that no one counter can shut the owner out:

- "account": every failure for a username, from anywhere. It slows a guesser who spreads attempts
  over many addresses, but applies only away from the owner's usual places, so it cannot keep them
  out of their own office.
- "account_from_address": failures for a username from one address. At the owner's usual places it
  is the only counter that applies: someone guessing from elsewhere cannot close sign-in there.
- "address": failures from one address across every username, which slows a guesser who tries a
  different username each time. It too applies only away from the username's usual places.

Each back-off is capped at 15 minutes; none is ever permanent.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Scope(StrEnum):
    ACCOUNT = "account"
    ACCOUNT_FROM_ADDRESS = "account_from_address"
    ADDRESS = "address"


FREE_FAILURES = 5
# An address is shared by everyone behind it (an office, a phone network), so it is allowed more.
FREE_ADDRESS_FAILURES = 20
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)
# A counter starts again after this long without a failure, and is then deleted: longer than the
# longest back-off by far, so forgetting never shortens a back-off in force.
FORGET_AFTER = timedelta(hours=24)
# An address the account signed in from successfully within this time is one of its usual places.
USUAL_PLACE_FOR = timedelta(days=30)


def backoff_after(failures: int, free: int = FREE_FAILURES) -> timedelta:
    """How long sign-in stays closed after this many consecutive failures.

    Nothing for the first five (twenty for an address); then 30 s doubling per failure, capped at
    15 minutes, so a forgotten passphrase costs a colleague minutes, while a guesser gets about
    100 tries a day.
    """
    if failures < free:
        return timedelta(0)
    doublings = failures - free
    if doublings >= 10:
        return MAX_DELAY
    return min(FIRST_DELAY * (2**doublings), MAX_DELAY)


def blocked_until(failures: int, last_failure_at: datetime, free: int = FREE_FAILURES) -> datetime | None:
    delay = backoff_after(failures, free)
    return last_failure_at + delay if delay else None


def free_failures(scope: Scope) -> int:
    return FREE_ADDRESS_FAILURES if scope is Scope.ADDRESS else FREE_FAILURES


@dataclass(frozen=True)
class Count:
    """One counter as stored: consecutive failures and when the last one was."""

    scope: Scope
    failures: int
    last_failure_at: datetime


@dataclass(frozen=True)
class Closed:
    """Sign-in is closed for this attempt until `reopens_at`, by the counter of `scope`."""

    scope: Scope
    reopens_at: datetime

    def wait_message(self, now: datetime) -> str:
        minutes = max(1, int((self.reopens_at - now).total_seconds() + 59) // 60)
        return f"Too many failed attempts. Wait {minutes} minute{'s' if minutes != 1 else ''} and try again"


def applies(scope: Scope, *, usual_place: bool) -> bool:
    """At a usual place only that place's own count for the account applies."""
    return scope is Scope.ACCOUNT_FROM_ADDRESS or not usual_place


def closed(counts: list[Count], *, usual_place: bool, now: datetime) -> Closed | None:
    """Whether the counters that apply to this attempt keep sign-in closed, and until when."""
    latest: Closed | None = None
    # On a tie the broadest counter is named: its refusals are reported wherever the owner signs in.
    for count in sorted(counts, key=lambda count: list(Scope).index(count.scope)):
        if not applies(count.scope, usual_place=usual_place) or now - count.last_failure_at >= FORGET_AFTER:
            continue
        reopens = blocked_until(count.failures, count.last_failure_at, free_failures(count.scope))
        if reopens is not None and now < reopens and (latest is None or reopens > latest.reopens_at):
            latest = Closed(count.scope, reopens)
    return latest


def client_place(remote_address: str | None) -> str:
    """The place an attempt comes from, as counted: an IPv4 address, or an IPv6 /64 network, since
    one device moves around its /64 from hour to hour (privacy addresses)."""
    try:
        address = ipaddress.ip_address((remote_address or "").strip())
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)
