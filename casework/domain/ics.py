"""Calendar files (RFC 5545), written by hand: a calendar app reads them, so the rules that matter
are the ones it enforces.

Times are written in UTC with a trailing Z. A check-in planned for 10:00 in London is stored as its
UTC instant, so it stays at 10:00 on the wall clock on both sides of a daylight-saving change
without the file carrying a time-zone definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# Check-ins have no planned length; half an hour is what a calendar shows as "busy".
CHECK_IN_LENGTH = timedelta(minutes=30)
LINE_OCTETS = 75
PRODUCT = "-//Casework//Check-ins//EN"


@dataclass(frozen=True)
class Event:
    uid: str
    # Rises each time the check-in changes, so a calendar app replaces its copy (RFC 5545 §3.8.7.4).
    sequence: int
    starts_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    length: timedelta = CHECK_IN_LENGTH


def escape(text: str) -> str:
    """TEXT values (RFC 5545 §3.3.11): backslash, semicolon and comma escaped; newlines as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space (§3.1). A
    character is never split: a calendar app would show the halves of a Welsh letter as garbage."""
    parts: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for character in line:
        octets = len(character.encode("utf-8"))
        if size + octets > limit:
            parts.append(current)
            # The continuation's leading space counts towards its 75 octets.
            current, size, limit = "", 0, LINE_OCTETS - 1
        current += character
        size += octets
    parts.append(current)
    return "\r\n ".join(parts)


def utc_stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("calendar times need an aware instant")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: Event, *, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{stamp}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.starts_at + event.length)}",
        f"SUMMARY:{escape(event.summary)}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append("END:VEVENT")
    return lines


def calendar(*, name: str, events: Iterable[Event], now: datetime) -> bytes:
    """A whole VCALENDAR as UTF-8 bytes with CRLF line ends."""
    stamp = utc_stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines.extend(_event_lines(event, stamp=stamp))
    lines.append("END:VCALENDAR")
    return ("".join(fold(line) + "\r\n" for line in lines)).encode("utf-8")
