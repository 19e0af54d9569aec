"""Shared rendering: versioned templates, a locked-down URL fetcher, reproducible tagged PDFs."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pydyf
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import CSS, HTML, default_url_fetcher
from weasyprint.text.fonts import FontConfiguration

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"
STYLESHEET = ASSETS / "document.css"  # every template links it, before its own <style>
TEMPLATES = HERE / "templates"

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), undefined=StrictUndefined
)


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    sha256: str
    template_version: str
    language: str


def made_from(document, *, template_version: str) -> str:
    """A digest of everything a document prints: the frozen record it is rendered from and the
    template. The same digest renders to the same document, so a stored copy can be served for
    it; any change to what the document prints gives a different digest."""
    record = {"template_version": template_version, **asdict(document)}
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=_plain).encode()).hexdigest()


def _plain(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"a document is made from primitives, not {type(value).__name__}")


class RefusedResource(Exception):
    """A template asked for something outside contracts/assets/."""


def asset_fetcher(url: str, timeout: int = 10, ssl_context=None):
    """Serve only files under contracts/assets/. WeasyPrint's default fetcher would read any
    local file and the network, which a document built from case data must never do."""
    if not url.startswith("file://"):
        raise RefusedResource(f"only bundled assets may be loaded, not {url}")
    path = Path(url.removeprefix("file://")).resolve()
    if ASSETS not in path.parents:
        raise RefusedResource(f"only bundled assets may be loaded, not {path}")
    return default_url_fetcher(path.as_uri(), timeout=timeout, ssl_context=ssl_context)


class _Typesetting(threading.local):
    """What every document rendered on this thread can share: the system's fonts, loaded once (a
    fresh FontConfiguration per document re-reads fontconfig and reloads DejaVu Sans each time),
    and document.css, parsed once. Kept per thread, because a Pango font map must not be used by
    two threads at once. Neither holds anything from a case."""

    def __init__(self) -> None:
        self.fonts = FontConfiguration()
        self.stylesheet = CSS(filename=str(STYLESHEET), url_fetcher=asset_fetcher, font_config=self.fonts)


_typesetting = _Typesetting()


def _parsed_stylesheet_fetcher(url: str, timeout: int = 10, ssl_context=None):
    """The templates' link to document.css is answered with nothing, because its parsed copy is
    applied instead. It is applied as a user stylesheet, which differs from an author one only
    when a template's own <style> sets the same property; the templates' own styles only give
    the page margin boxes their content, which document.css never sets."""
    if url == STYLESHEET.as_uri():
        return {"string": "", "mime_type": "text/css"}
    return asset_fetcher(url, timeout=timeout, ssl_context=ssl_context)


def render(
    template: str,
    *,
    version: str,
    language: str,
    created: datetime,
    furniture_as_artifacts: bool = False,
    **context,
) -> RenderedDocument:
    """Render a versioned template to PDF/UA. The document's dates come from the case record,
    not the clock, so rendering the same record again gives the same bytes.

    Template versions from v2 on mark the running header and page numbers as artifacts; earlier
    versions render exactly as they were issued."""
    stamp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    html = _environment.get_template(template).render(language=language, created=stamp, **context)
    pdf = HTML(string=html, base_url=str(ASSETS) + "/", url_fetcher=_parsed_stylesheet_fetcher).write_pdf(
        pdf_variant="pdf/ua-1",
        finisher=furniture_artifacts if furniture_as_artifacts else None,
        stylesheets=[_typesetting.stylesheet],
        font_config=_typesetting.fonts,
    )
    return RenderedDocument(
        pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), template_version=version, language=language
    )


def furniture_artifacts(document, pdf) -> None:
    """Mark page furniture (the running header and "Page n of N", drawn in @page margin boxes) as
    pagination artifacts, so assistive technology skips it.

    WeasyPrint tags margin-box text as marked content with an MCID but leaves its structure
    elements out of the tree (PDF/UA-1 has no place for artifacts there): such text is neither
    part of the document's structure nor an artifact. Every MCID the structure tree cannot reach
    is margin-box text; its marked content becomes /Artifact, and its parent-tree entry null."""
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    reachable: set[bytes] = set()
    pending = [kid for kid in root["K"] if isinstance(kid, bytes)]
    while pending:
        reference = pending.pop()
        if reference in reachable:
            continue
        reachable.add(reference)
        element = _object(pdf, reference)
        pending.extend(kid for kid in element.get("K", ()) if isinstance(kid, bytes))
    _stable_header_ids(pdf, reachable)
    numbers = _object(pdf, root["ParentTree"])["Nums"]
    kids = pdf.pages["Kids"]  # object number, generation, "R", for each page
    for index in range(0, len(numbers), 2):
        page_number, elements = numbers[index], numbers[index + 1]
        if not isinstance(elements, list) or page_number * 3 >= len(kids):
            continue  # link annotations map to a single element, not to a page's marked content
        furniture = {mcid for mcid, reference in enumerate(elements) if reference not in reachable}
        page = pdf.objects[kids[page_number * 3]]
        operations = _object(pdf, page["Contents"]).stream
        for position in range(len(operations) - 2):
            properties = operations[position + 1]
            if operations[position] == "/Span" and isinstance(properties, dict) and properties.get("MCID") in furniture:
                operations[position] = "/Artifact"
                operations[position + 1] = pydyf.Dictionary({"Type": "/Pagination"})
        for mcid in furniture:
            elements[mcid] = "null"


def _stable_header_ids(pdf, elements: set[bytes]) -> None:
    """WeasyPrint names each table header cell by the memory address of its box, so the same
    record would render to different bytes each time. Number them in document order instead,
    and point each data cell's Headers at the new names."""
    ordered = sorted(elements, key=lambda reference: int(reference.split()[0]))
    names = {}
    for reference in ordered:
        element = _object(pdf, reference)
        if "ID" in element:
            names[element["ID"].string] = f"th{len(names) + 1}"
            element["ID"].string = names[element["ID"].string]
    for reference in ordered:
        attributes = _object(pdf, reference).get("A")
        if isinstance(attributes, dict) and "Headers" in attributes:
            for header in attributes["Headers"]:
                header.string = names.get(header.string, header.string)


def _object(pdf, reference: bytes):
    return pdf.objects[int(reference.split()[0])]
