"""Forms for ending a case early: no contact after referral, or withdrawal of a case opened in error."""

from __future__ import annotations

from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from casework.services.case_endings import MAX_TEXT, MIN_REASON, WITHDRAWAL_REASONS
from casework.web.forms.base import Form
from casework.web.forms.fields import RadioField
from casework.web.forms.widgets import GovRadioInput, GovSubmitInput, GovTextArea


class WithdrawForm(Form):
    reason = RadioField(
        "Why is the case being withdrawn?",
        choices=list(WITHDRAWAL_REASONS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select why the case is being withdrawn")],
        invalid="Select one of the reasons listed",
    )
    detail = TextAreaField(
        "What happened?",
        description="For example, the reference of the case this one duplicates. It is kept for audit.",
        widget=GovTextArea(),
        validators=[
            DataRequired("Explain what happened, for example which case this one duplicates"),
            Length(max=MAX_TEXT, message=f"Explain in {MAX_TEXT} characters or fewer"),
        ],
    )
    version = HiddenField()
    submit = SubmitField("Withdraw the case", widget=GovSubmitInput())


class NoContactForm(Form):
    reason = TextAreaField(
        "Why is the case ending?",
        description="Say what was done to reach the person, and when.",
        widget=GovTextArea(),
        validators=[
            DataRequired("Write why the case is ending"),
            Length(min=MIN_REASON, max=MAX_TEXT, message=f"Write at least {MIN_REASON} characters"),
        ],
    )
    version = HiddenField()
    submit = SubmitField("End the case for no contact", widget=GovSubmitInput())
