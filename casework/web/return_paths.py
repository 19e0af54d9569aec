"""Where a page may send someone back to after signing in or staying signed in."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: an open redirect would make a convincing phishing link. Browsers
    read a backslash as a slash and drop tabs and newlines, so "/\\evil.example" or "/\\t/evil.example"
    would leave the site; anything of the kind is refused, not repaired."""
    if not target or len(target) > 2000:
        return None
    if "\\" in target or any(ord(character) < 0x20 or ord(character) == 0x7F for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
