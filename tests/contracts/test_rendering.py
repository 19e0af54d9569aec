"""Rendering shares the loaded fonts and the parsed document.css between documents on a thread:
the documents must look as they did when each loaded its own, and threads must not disturb
one another."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from pypdf import PdfReader

from contracts import render_support_contract
from tests.contracts.test_support_contract_v3 import V3


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_the_shared_stylesheet_still_sets_the_type():
    # DejaVu Sans with bold headings, from document.css: an unstyled document is set in the serif face.
    assert _fonts(render_support_contract(V3).pdf) == {"DejaVu-Sans", "DejaVu-Sans-Bold"}


def test_documents_rendered_at_once_on_several_threads_match_one_rendered_alone():
    documents = [V3, replace(V3, language="cy")] * 4
    alone = {doc.language: render_support_contract(doc).pdf for doc in documents[:2]}
    with ThreadPoolExecutor(max_workers=len(documents)) as pool:
        rendered = list(pool.map(lambda doc: (doc.language, render_support_contract(doc).pdf), documents))
    assert all(pdf == alone[language] for language, pdf in rendered)
