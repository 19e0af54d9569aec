"""Offence groups: the headings reports count offences under (DOMAIN.md §8.2, "by offence group").

The groups follow the offence types of Durham's included list (DOMAIN.md §2.2), so a scrutiny panel
reads the report in the words the scheme was set up in. Each offence in the catalogue belongs to
exactly one group; an offence that fits none (a driving offence, robbery) is "other". A case with
offences in two groups counts in each. Codes are stored on `offences.offence_group`: a code never
changes once used (a CHECK constraint lists them), a label may.
"""

from __future__ import annotations

OTHER = "other"

# (code, label), in the order of DOMAIN.md §2.2, "other" last.
OFFENCE_GROUPS: tuple[tuple[str, str], ...] = (
    ("theft", "Theft"),
    ("burglary", "Burglary"),
    ("criminal_damage", "Criminal damage"),
    ("drugs", "Drugs"),
    ("fraud", "Fraud"),
    ("public_order", "Public order"),
    # Common assault, actual bodily harm, assault on a police officer or emergency worker.
    ("violence", "Violence against the person"),
    # Possession of an offensive weapon or a bladed article.
    ("weapons", "Possession of weapons"),
    ("harassment", "Harassment and malicious communications"),
    ("child_neglect", "Child neglect"),
    # Kept apart from violence because the scheme's rules for it differ (special terms, then excluded).
    ("domestic", "Domestic-related"),
    ("cyber", "Cyber crime"),
    (OTHER, "Other"),
)

GROUP_CODES: tuple[str, ...] = tuple(code for code, _label in OFFENCE_GROUPS)
GROUP_LABELS: dict[str, str] = dict(OFFENCE_GROUPS)


def is_offence_group(code: object) -> bool:
    return isinstance(code, str) and code in GROUP_LABELS


def group_label(code: str) -> str:
    """The label people read; an unknown code is shown as it is rather than hidden."""
    return GROUP_LABELS.get(code, code)
