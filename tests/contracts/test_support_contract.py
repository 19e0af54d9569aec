"""The support contract PDF as template version 1 issued it: the parts DOMAIN.md §5.4 lists, in
English and Welsh. Version 1 still renders, unchanged, for the documents it issued; the current
version is tested in test_support_contract_v2.py."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader

from bench.contract_render import CONTRACT
from contracts import ContractCondition, render_support_contract

V1 = "support_contract_v1"


def _text(pdf: bytes) -> str:
    return "".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _has(text: str, phrase: str) -> bool:
    return "".join(phrase.split()) in text


def test_english_contract_has_every_part():
    text = _text(render_support_contract(CONTRACT, template_version=V1).pdf)
    for phrase in [
        "CP-26-000123, version 1",
        "DC/4521/26",
        "Sam Example, born 27 March 1990",
        "Common assault",
        "enough evidence to charge you",
        "You admitted the offence",
        "From 24 November 2026 to 24 March 2027",
        "Recovery Hub",
        "By 1 February 2027",
        "completing 24 hours",
        "Grace Johnson",
        "reasonable excuse",
        "may charge you with the original offence",
        "kept for 6 years",
        "Sam Example (typed)",
        "Page 1 of",
        "Contract CP-26-000123 v1",
    ]:
        assert _has(text, phrase), phrase
    assert not _has(text, "The person affected by the offence")  # no victim condition, no victim part


def test_welsh_contract_and_the_victim_part():
    victim = ContractCondition(6, "victim", "Write a letter of apology.", "", None, "document")
    rendered = render_support_contract(
        replace(CONTRACT, language="cy", conditions=(*CONTRACT.conditions, victim)), template_version=V1
    )
    text = _text(rendered.pdf)
    for phrase in [
        "fersiwn 1",
        "a anwyd ar 27 Mawrth 1990",
        "digon o dystiolaeth i'ch cyhuddo",
        "O 24 Tachwedd 2026 i 24 Mawrth 2027",
        "Dim troseddu pellach",
        "gall yr heddlu eich cyhuddo",
        "Y person yr effeithiwyd arno gan y drosedd",
        "Tudalen 1 o",
    ]:
        assert _has(text, phrase), phrase
    catalog = PdfReader(io.BytesIO(rendered.pdf)).trailer["/Root"]
    assert catalog["/Lang"] == "cy" and "/StructTreeRoot" in catalog


def test_the_same_contract_renders_to_the_same_bytes():
    first = render_support_contract(CONTRACT, template_version=V1)
    assert first.pdf == render_support_contract(CONTRACT, template_version=V1).pdf
    assert first.template_version == V1
