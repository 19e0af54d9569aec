"""Standard condition wordings: each has a Welsh text, and only an unedited one is translated."""

from __future__ import annotations

import pytest

from casework.domain import standard_wordings as wordings
from casework.domain.contract_terms import OFFENDING_WORDING, OFFENDING_WORDING_CY
from casework.domain.needs import NEED_DOMAINS

KEYS = [wordings.OFFENDING, *(wordings.pathway_key(domain) for domain, _ in NEED_DOMAINS)]


@pytest.mark.parametrize("key", KEYS)
def test_every_standard_wording_has_an_english_and_a_different_welsh_text(key):
    english, welsh = wordings.text(key, "en", partner="Hwb"), wordings.text(key, "cy", partner="Hwb")
    assert english and welsh and english != welsh


def test_an_unedited_standard_wording_prints_in_the_documents_language():
    assert wordings.in_language(wordings.OFFENDING, OFFENDING_WORDING, "cy") == OFFENDING_WORDING_CY
    pathway = wordings.pathway_key("drugs")
    stored = wordings.text(pathway, "en", partner="Durham Recovery Hub")
    assert stored == "Attend an assessment and 3 follow-up sessions for drug misuse with Durham Recovery Hub"
    assert wordings.in_language(pathway, stored, "cy", partner="Durham Recovery Hub") == (
        "Mynychwch asesiad a 3 sesiwn ddilynol ar gyfer camddefnyddio cyffuriau gyda Durham Recovery Hub"
    )
    assert wordings.in_language(pathway, stored, "en", partner="Durham Recovery Hub") == stored


@pytest.mark.parametrize(
    ("key", "wording", "partner"),
    [
        (wordings.OFFENDING, "Do not go near the shop on Market Street.", ""),  # the navigator's own words
        (wordings.pathway_key("drugs"), "Attend an assessment for drug misuse", "Hub"),  # edited
        # the partner changed since the wording was written: the stored words no longer match
        (wordings.pathway_key("drugs"), wordings.text(wordings.pathway_key("drugs"), "en", partner="Old"), "New"),
        (None, OFFENDING_WORDING, ""),  # written before conditions recorded their wording
        ("no_such_wording", OFFENDING_WORDING, ""),
    ],
)
def test_anything_else_prints_as_written(key, wording, partner):
    assert wordings.in_language(key, wording, "cy", partner=partner) == wording
