"""The form side of one-time tokens (services/submissions.py): every create form carries a token
issued when the form is rendered, and sends it back unseen. Render it with
`{{ form.submission_token }}` next to the CSRF token, and hand the form to
`submission.attempt(..., once=...)`, which claims it."""

from __future__ import annotations

import secrets

from markupsafe import Markup, escape
from wtforms import HiddenField

from casework.web.forms.base import Form


def new_token() -> str:
    return secrets.token_urlsafe(24)


class _TokenInput:
    """A hidden input without an id: a page may carry several copies of one form."""

    def __call__(self, field, **_kwargs) -> Markup:
        return Markup(f'<input type="hidden" name="{field.name}" value="{escape(field._value())}">')


class OneTimeForm(Form):
    """A form that creates something. A copy posted without a token gets a fresh one, to send again."""

    submission_token = HiddenField(default=new_token, widget=_TokenInput())  # submissions.FIELD
    # Where the created record can be seen, once `attempt` has saved it.
    saved_at: str | None = None

    def sent_token(self) -> str:
        """The token this copy of the form came back with ("" when it came back without one)."""
        raw = self.submission_token.raw_data
        return raw[0] if raw else ""
