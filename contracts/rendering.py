"""Shared rendering: versioned templates, a locked-down URL fetcher, reproducible tagged PDFs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import HTML, default_url_fetcher

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"
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


def render(template: str, *, version: str, language: str, created: datetime, **context) -> RenderedDocument:
    """Render a versioned template to PDF/UA. The document's dates come from the case record,
    not the clock, so rendering the same record again gives the same bytes."""
    stamp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    html = _environment.get_template(template).render(language=language, created=stamp, **context)
    pdf = HTML(string=html, base_url=str(ASSETS) + "/", url_fetcher=asset_fetcher).write_pdf(pdf_variant="pdf/ua-1")
    return RenderedDocument(
        pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), template_version=version, language=language
    )
