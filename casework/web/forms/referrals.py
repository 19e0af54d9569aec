from __future__ import annotations

from wtforms import BooleanField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from casework.domain.needs import NEED_DOMAINS
from casework.domain.referrals import EVIDENCE_SOURCES, METHODS, NEEDS_EVIDENCE, SHAREABLE
from casework.web.forms.base import Form
from casework.web.forms.fields import ForgivingDateField, RadioField, RequiredWhen, SelectField, SelectMultipleField
from casework.web.forms.one_time import OneTimeForm
from casework.web.forms.widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)


def _at_most(limit: int, named: str) -> Length:
    return Length(max=limit, message=f"{named} must be {limit:,} characters or fewer")


class ServiceForm(OneTimeForm):
    name = StringField(
        "Service name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the service's name"), _at_most(160, "Service name")],
    )
    pathway = SelectField(
        "Need it helps with",
        choices=[("", "Select"), *NEED_DOMAINS],
        widget=GovSelect(),
        validators=[DataRequired("Select the need this service helps with")],
    )
    phone = StringField(
        "Phone",
        widget=GovTextInput(),
        validators=[
            RequiredWhen(
                lambda form: not (form.email.data or "").strip(), message="Enter a phone number or an email address"
            ),
            Optional(),
            _at_most(30, "Phone"),
        ],
    )
    email = StringField(
        "Email",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Email("Enter an email address in the correct format, like name@example.com"),
            _at_most(254, "Email"),
        ],
    )
    address = TextAreaField("Address", widget=GovTextArea(), validators=[Optional(), _at_most(300, "Address")])
    data_accepted = TextAreaField(
        "What information the service accepts",
        widget=GovTextArea(),
        validators=[
            DataRequired("Say what information the service accepts"),
            _at_most(500, "What information the service accepts"),
        ],
    )
    active = BooleanField("In use (untick to stop new referrals to it)", default=True, widget=GovCheckboxInput())
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


class ReferralForm(OneTimeForm):
    service_id = SelectField(
        "Partner service", coerce=int, widget=GovSelect(), validators=[DataRequired("Select a service")]
    )
    need_domain = SelectField(
        "The need it is for",
        choices=[("", "Select"), *NEED_DOMAINS],
        widget=GovSelect(),
        validators=[DataRequired("Select the need the referral is for")],
    )
    sent_on = ForgivingDateField("Date sent", validators=[InputRequired("Enter the date the referral was sent")])
    method = RadioField(
        "How it was sent",
        choices=list(METHODS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select how the referral was sent")],
    )
    data_shared = SelectMultipleField(
        "Information shared",
        choices=list(SHAREABLE.items()),
        description="Share only what the service needs. Never health detail.",
        widget=GovCheckboxesInput(),
        validators=[DataRequired("Select the information shared with the partner")],
    )
    consent_recorded = BooleanField(
        "The person agreed to this referral and to sharing this information",
        widget=GovCheckboxInput(),
        validators=[DataRequired("A referral can only be sent with the person's consent")],
    )
    submit = SubmitField("Record the referral", widget=GovSubmitInput())


class ReferralUpdateForm(Form):
    status = RadioField("New status", widget=GovRadioInput(), validators=[InputRequired("Select the new status")])
    happened_on = ForgivingDateField(
        "When",
        validators=[InputRequired("Enter the date it happened")],
        invalid="The date it happened must be a real date, for example 27/3/2026",
    )
    evidence = RadioField(
        "How do you know?",
        choices=list(EVIDENCE_SOURCES.items()),
        widget=GovRadioInput(),
        description="Needed for attendance and completion.",
        validators=[
            RequiredWhen("status", tuple(status.value for status in NEEDS_EVIDENCE), message="Select how you know"),
            Optional(),
        ],
        invalid="Select how you know from the list",
    )
    note = TextAreaField("Note (optional)", widget=GovTextArea(), validators=[Optional(), _at_most(2000, "Note")])
    version = HiddenField()
    submit = SubmitField("Save the update", widget=GovSubmitInput())
