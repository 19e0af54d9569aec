"""Documents handed to the person, rendered to accessible PDF with WeasyPrint.

This package imports jinja2 and weasyprint only. It receives frozen dataclasses of primitives,
never a model or a database session, so a document can be re-rendered from what was recorded.
"""

from contracts.offer_sheet import OfferSheet, render_offer_sheet
from contracts.rendering import RenderedDocument

__all__ = ["OfferSheet", "RenderedDocument", "render_offer_sheet"]
