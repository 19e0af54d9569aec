"""Documents handed to the person, rendered to accessible PDF with WeasyPrint.

This package imports jinja2 and weasyprint (and pydyf, the PDF writer WeasyPrint hands to a
finisher), and from casework only the Welsh calendar words in casework.domain.welsh. It receives
frozen dataclasses of primitives, never a model or a database session, so a document can be
re-rendered from what was recorded.
"""

from contracts.completion_letter import CompletionLetter, render_completion_letter
from contracts.offer_sheet import OfferSheet, offer_sheet_made_from, render_offer_sheet
from contracts.rendering import RenderedDocument
from contracts.support_contract import ContractCondition, ScheduledCheckIn, SupportContract, render_support_contract
from contracts.warning_letter import WarningLetter, render_warning_letter

__all__ = [
    "CompletionLetter",
    "ContractCondition",
    "OfferSheet",
    "RenderedDocument",
    "ScheduledCheckIn",
    "SupportContract",
    "WarningLetter",
    "offer_sheet_made_from",
    "render_completion_letter",
    "render_offer_sheet",
    "render_support_contract",
    "render_warning_letter",
]
