from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField

from casework.web.forms.widgets import GovSubmitInput


class FeedForm(FlaskForm):
    """A button that makes or turns off the calendar feed address; only its CSRF token is read."""

    submit = SubmitField("Continue", widget=GovSubmitInput())
