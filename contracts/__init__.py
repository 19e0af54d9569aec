"""Documents handed to the person, rendered to accessible PDF with WeasyPrint.

This package imports jinja2 and weasyprint only (and pydyf, the PDF writer WeasyPrint hands to a
finisher). It receives frozen dataclasses of primitives, never a model or a database session, so a
document can be re-rendered from what was recorded.
"""

from contracts.offer_sheet import OfferSheet, render_offer_sheet
from contracts.rendering import RenderedDocument
from contracts.support_contract import ContractCondition, ScheduledCheckIn, SupportContract, render_support_contract

__all__ = [
    "ContractCondition",
    "OfferSheet",
    "RenderedDocument",
    "ScheduledCheckIn",
    "SupportContract",
    "render_offer_sheet",
    "render_support_contract",
]
