"""Forms for completion: asking for the review, waiving a condition, signing off, and finding a
condition not met in review."""

from __future__ import annotations

from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from casework.services.completion_sign_off import MAX_TEXT, MIN_TEXT
from casework.services.condition_waivers import MAX_REASON, MIN_REASON
from casework.web.forms.base import Form
from casework.web.forms.fields import RadioField
from casework.web.forms.widgets import GovRadioInput, GovSubmitInput, GovTextArea


class RequestReviewForm(Form):
    version = HiddenField()
    submit = SubmitField("Ask for completion review", widget=GovSubmitInput())


class WaiverForm(Form):
    reason = TextAreaField(
        "Why is this condition being waived?",
        description="For example, the course was withdrawn by the provider. The person will not be asked to meet it.",
        widget=GovTextArea(),
        validators=[
            DataRequired("Give the reason for waiving the condition"),
            Length(min=MIN_REASON, message=f"Give the reason, at least {MIN_REASON} characters"),
            Length(max=MAX_REASON, message=f"Give the reason in {MAX_REASON} characters or fewer"),
        ],
    )
    submit = SubmitField("Waive the condition", widget=GovSubmitInput())


class SignOffForm(Form):
    rationale = TextAreaField(
        "Why is the contract complete?",
        description="Say what you checked: the conditions, the check-ins and any breaches.",
        widget=GovTextArea(),
        validators=[
            DataRequired("Write why the contract is complete"),
            Length(min=MIN_TEXT, message=f"Write why the contract is complete, at least {MIN_TEXT} characters"),
            Length(max=MAX_TEXT, message=f"Write it in {MAX_TEXT} characters or fewer"),
        ],
    )
    exit_not_done_reason = TextAreaField(
        "If the exit needs assessment was not done, why not?",
        description="For example, the person declined it. Leave this blank if it has been recorded.",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=MAX_TEXT, message=f"Write it in {MAX_TEXT} characters or fewer")],
    )
    version = HiddenField()
    submit = SubmitField("Sign off the completion", widget=GovSubmitInput())


class ConditionUnmetForm(Form):
    condition_id = RadioField(
        "Which condition was not met?",
        widget=GovRadioInput(),
        choices=[],
        validators=[InputRequired("Select the condition that was not met")],
        invalid="Select one of the conditions listed",
    )
    reason = TextAreaField(
        "What was not done?",
        description="A supervisor other than you will decide the breach.",
        widget=GovTextArea(),
        validators=[
            DataRequired("Write why the condition was not met"),
            Length(min=MIN_TEXT, message=f"Write why the condition was not met, at least {MIN_TEXT} characters"),
            Length(max=MAX_TEXT, message=f"Write it in {MAX_TEXT} characters or fewer"),
        ],
    )
    version = HiddenField()
    submit = SubmitField("Condition not met: send to breach review", widget=GovSubmitInput())
