"""The GOV.UK error summary for a whole page: every form on it, not only one called `form`.

Pages such as the contract page carry several forms (agreement, approval, variation); a refusal on
any of them must show the summary and put "Error:" in the title, so the summary is built from every
form the template was given.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from jinja2 import pass_context
from jinja2.runtime import Context


class LinkedMessage(str):
    """A message for the summary that leads somewhere (e.g. to what an earlier copy of the form saved)."""

    href: str | None

    def __new__(cls, text: str, href: str | None) -> LinkedMessage:
        message = super().__new__(cls, text)
        message.href = href
        return message


@pass_context
def page_errors(context: Context) -> list[dict[str, str]]:
    """GOV.UK errorList items: each field's first message linked to the field, then messages that
    belong to no one field (a concurrent change, a step the workflow refuses) as plain text, or as a
    link when the message leads somewhere."""
    items: list[dict[str, str]] = []
    seen: set[int] = set()
    for value in context.get_all().values():
        if not isinstance(value, FlaskForm) or id(value) in seen:
            continue
        seen.add(id(value))
        for message in value.form_errors:
            href = getattr(message, "href", None)
            items.append({"text": message, "href": href} if href else {"text": message})
        for field in value:
            if not field.errors:
                continue
            if field.type in ("HiddenField", "CSRFTokenField"):  # nothing on screen to link to
                items.append({"text": field.errors[0]})
            else:
                items.append({"text": field.errors[0], "href": f"#{field.id}"})
    return items
