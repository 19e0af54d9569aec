"""Scrutiny panel samples (DOMAIN.md §8.3): the ratings a panel gives, the pseudonym a sampled case
goes by, and the redaction of a person's names from the free text a panel reads (§9)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

# A panel reads every case it is given at one sitting: a few dozen is already a long meeting.
MAX_SAMPLE = 50
# Seeds people can read out and type back in to draw the same sample again.
MAX_SEED = 10**12 - 1
MAX_COMMENTS = 4000
MAX_PANEL_MEMBER = 120
REDACTED = "[name removed]"


class Rating(StrEnum):
    """The panel's verdict on a case, as OOCR scrutiny panels give it (S38). "Not agreed" records
    that the members could not reach one, so a case gets one rating from the panel, not one each."""

    APPROPRIATE = "appropriate"
    APPROPRIATE_WITH_OBSERVATIONS = "appropriate_with_observations"
    INAPPROPRIATE = "inappropriate"
    NOT_AGREED = "not_agreed"

    @property
    def label(self) -> str:
        return RATING_LABELS[self]


RATING_LABELS = {
    Rating.APPROPRIATE: "Appropriate",
    Rating.APPROPRIATE_WITH_OBSERVATIONS: "Appropriate with observations",
    Rating.INAPPROPRIATE: "Inappropriate",
    Rating.NOT_AGREED: "Not agreed",
}


def pseudonym(position: int) -> str:
    """What a sampled case is called inside its sample: its place in the drawn order, never its
    reference, so the panel's notes cannot be joined to the case without the sample."""
    return f"Case {position}"


def redact(text: str | None, words: Iterable[str]) -> str | None:
    """`text` with every whole-word occurrence of `words` (names, references) replaced, ignoring case.
    Longer words go first, so "Anne-Marie" is removed whole rather than leaving "-Marie"."""
    if not text:
        return text
    found = sorted({word.strip() for word in words if word and len(word.strip()) > 1}, key=len, reverse=True)
    if not found:
        return text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(word) for word in found) + r")(?!\w)", re.IGNORECASE)
    return pattern.sub(REDACTED, text)


def name_parts(*names: str | None) -> list[str]:
    """Each name whole and each of its parts: "Mary Jane" is redacted as "Mary Jane", "Mary" and "Jane"."""
    parts: list[str] = []
    for name in names:
        if not name:
            continue
        parts.append(name)
        parts.extend(part for part in re.split(r"[\s]+", name) if part)
    return parts
