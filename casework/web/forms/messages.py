"""Forms for reminder consent and each user's notification settings."""

from __future__ import annotations

from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, Optional

from casework.domain.notifications import Choice, Event
from casework.web.forms.base import Form
from casework.web.forms.fields import RadioField, SelectMultipleField
from casework.web.forms.widgets import GovCheckboxesInput, GovRadioInput, GovSubmitInput, GovTextInput

CHANNEL_CHOICES = [("email", "Email"), ("sms", "Text message")]


class ReminderConsentForm(Form):
    channels = SelectMultipleField(
        "How has the person agreed to be reminded before each check-in?",
        description="Select all they agreed to. Leave both unticked if they want no reminders.",
        choices=CHANNEL_CHOICES,
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        invalid="Select email, text message or neither",
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Email("Enter an email address in the correct format, like name@example.com"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    phone = StringField(
        "Mobile phone number",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=30, message="Mobile phone number must be 30 characters or fewer")],
    )
    version = HiddenField()
    submit = SubmitField("Save reminder choices", widget=GovSubmitInput())


def notification_form(formdata=None, **values):
    class NotificationSettingsForm(Form):
        submit = SubmitField("Save notification settings", widget=GovSubmitInput())

    for event in Event:
        setattr(
            NotificationSettingsForm,
            event.value,
            RadioField(
                event.label,
                choices=[(choice.value, choice.label) for choice in Choice],
                widget=GovRadioInput(),
                validators=[
                    InputRequired(f"Select how you want to hear when {event.label[0].lower()}{event.label[1:]}")
                ],
            ),
        )
    form = NotificationSettingsForm(formdata=formdata, **values) if formdata is not None else None
    return form or NotificationSettingsForm(**values)


def _choose(event: Event) -> str:
    return f"Select how you want to hear when {event.label[0].lower()}{event.label[1:]}"
