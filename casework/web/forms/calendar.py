from __future__ import annotations

from wtforms import SubmitField

from casework.web.forms.base import Form
from casework.web.forms.widgets import GovSubmitInput


class FeedForm(Form):
    """A button that makes or turns off the calendar feed address; only its CSRF token is read."""

    submit = SubmitField("Continue", widget=GovSubmitInput())
