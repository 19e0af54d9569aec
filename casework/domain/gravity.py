"""The gravity score (DOMAIN.md §2.3): the offence's base score from the catalogue, moved one level
by aggravating or mitigating factors, with the factors chosen from lists in the style of the
ACPO adult gravity factor matrix (2013) and the NPCC two-tier adult matrix (2019)."""

from __future__ import annotations

from collections.abc import Sequence

NONE = "none"

AGGRAVATING = (
    ("vulnerable_victim", "The victim was vulnerable or deliberately targeted"),
    ("breach_of_trust", "Abuse of a position of trust"),
    ("planned", "Planned or premeditated"),
    ("group", "Committed as part of a group"),
    ("weapon", "A weapon was used or threatened"),
    ("serious_harm", "Serious injury, damage or loss"),
    ("public_servant", "The victim was a public servant at work"),
    ("on_bail_or_licence", "Committed while on bail or licence"),
    ("offending_history", "Relevant recent offending"),
    ("hostility", "Hostility because of the victim's identity"),
    (NONE, "None of these"),
)
MITIGATING = (
    ("minor_role", "A minor part in the offence"),
    ("early_admission", "An early admission and genuine remorse"),
    ("impulsive", "A single impulsive act"),
    ("provocation", "Provocation"),
    ("minor_harm", "Minor injury, damage or loss"),
    ("reparation_made", "Reparation already made to the victim"),
    ("mistake", "A genuine mistake or misunderstanding"),
    ("health_linked", "A health condition or disability linked to the offence"),
    ("immaturity", "Lack of maturity"),
    (NONE, "None of these"),
)


def applies(factors: Sequence[str] | None) -> bool:
    """Whether any real factor was chosen ("None of these" is an answer, not a factor)."""
    return any(factor != NONE for factor in factors or ())


def gravity_score(base: int, *, aggravating: bool, mitigating: bool) -> int:
    """Factors move the base score one level up or down, within 1-4 (DOMAIN.md §2.3)."""
    return max(1, min(4, base + int(aggravating) - int(mitigating)))
