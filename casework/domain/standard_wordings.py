"""Standard condition wordings, in English and Welsh (DOMAIN.md §5.1, §5.4 item 13).

A condition records the key of the standard wording it was written from. An unedited one prints in
the document's language; once a navigator rewrites it, their words print as written, in whichever
document, because nobody has translated them.
"""

from __future__ import annotations

from casework.domain.contract_terms import OFFENDING_WORDING, OFFENDING_WORDING_CY
from casework.domain.needs import DOMAIN_LABELS

OFFENDING = "offending"
_PATHWAY = "pathway_sessions:"

# The need domains as they read inside a sentence ("... sessions for drug misuse").
WELSH_NEED_LABELS = {
    "accommodation": "llety a thai",
    "education_employment": "addysg, hyfforddiant a chyflogaeth",
    "finance": "arian, budd-daliadau a dyledion",
    "relationships": "perthnasoedd, teulu a phlant",
    "lifestyle": "ffordd o fyw, cyfeillion a defnydd o amser",
    "drugs": "camddefnyddio cyffuriau",
    "alcohol": "camddefnyddio alcohol",
    "mental_health": "iechyd meddwl a lles emosiynol",
    "physical_health": "iechyd corfforol",
    "thinking_behaviour": "meddwl, ymddygiad ac agweddau",
    "domestic_abuse": "cam-drin domestig (fel dioddefwr, rhywun mewn perygl, neu gyflawnwr)",
    "sexual_exploitation": "camfanteisio rhywiol (fel dioddefwr)",
    "neurodiversity": "niwroamrywiaeth ac anghenion dysgu",
    "gambling": "gamblo",
    "protected_context": "profiad o ofal, cyn-filwr neu gyd-destun arall",
}


def pathway_key(domain: str) -> str:
    return f"{_PATHWAY}{domain}"


def text(key: str, language: str, *, partner: str = "") -> str | None:
    """The standard wording in a language, or None for a key this version does not know."""
    welsh = language == "cy"
    if key == OFFENDING:
        return OFFENDING_WORDING_CY if welsh else OFFENDING_WORDING
    if key.startswith(_PATHWAY) and (domain := key.removeprefix(_PATHWAY)) in DOMAIN_LABELS:
        if welsh:
            wording = f"Mynychwch asesiad a 3 sesiwn ddilynol ar gyfer {WELSH_NEED_LABELS[domain]}"
            return wording + (f" gyda {partner}" if partner else "")
        wording = f"Attend an assessment and 3 follow-up sessions for {DOMAIN_LABELS[domain].lower()}"
        return wording + (f" with {partner}" if partner else "")
    return None


def in_language(key: str | None, wording: str, language: str, *, partner: str = "") -> str:
    """What a document prints for a condition: the standard text in its language while the stored
    wording is still the unedited English text of that standard; otherwise the wording as written."""
    if key and text(key, "en", partner=partner) == wording.strip():
        return text(key, language, partner=partner) or wording
    return wording
