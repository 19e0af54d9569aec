"""Posting a page's form as a browser does. A browser always sends the form's hidden inputs, text
boxes, text areas and selects (as shown, when nothing is typed), and leaves out unticked checkboxes
and unanswered radios; a post without one of the first kind is refused as incomplete
(casework/web/forms/base.py). Tests choose the radios and checkboxes themselves."""

from __future__ import annotations

from tests.conftest import page_form

LEFT_OUT = {"radio", "checkbox", "submit", "button", "file", "image", "reset"}


def as_shown(form) -> dict[str, str]:
    """What a browser sends from this form (a BeautifulSoup tag) with nothing typed or chosen."""
    sent: dict[str, str] = {}
    for tag in form.select("input[name]"):
        if tag.get("type", "text").lower() not in LEFT_OUT and not tag.has_attr("disabled"):
            sent.setdefault(tag["name"], tag.get("value", ""))
    for tag in form.select("textarea[name]"):
        sent.setdefault(tag["name"], tag.get_text().removeprefix("\n"))
    for tag in form.select("select[name]"):
        chosen = tag.select_one("option[selected]") or tag.select_one("option")
        sent.setdefault(tag["name"], chosen.get("value", chosen.get_text()) if chosen else "")
    return sent


def shown_fields(client, path: str, form_action: str | None = None) -> dict[str, str]:
    """What the form posting to `form_action` on `path` (or else the page's first form other than
    the header's sign-out) sends with nothing typed: its hidden inputs, and its boxes as shown."""
    return as_shown(page_form(client, path, form_action))
