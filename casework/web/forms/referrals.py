from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from casework.domain.needs import NEED_DOMAINS
from casework.domain.referrals import EVIDENCE_SOURCES, METHODS, SHAREABLE
from casework.web.forms.fields import ForgivingDateField
from casework.web.forms.one_time import OneTimeForm


class ServiceForm(OneTimeForm):
    name = StringField(
        "Service name", widget=GovTextInput(), validators=[DataRequired("Enter the service's name"), Length(max=160)]
    )
    pathway = SelectField(
        "Need it helps with",
        choices=[("", "Select"), *NEED_DOMAINS],
        widget=GovSelect(),
        validators=[DataRequired("Select the need this service helps with")],
    )
    phone = StringField("Phone", widget=GovTextInput(), validators=[Optional(), Length(max=30)])
    email = StringField(
        "Email",
        widget=GovTextInput(),
        validators=[Optional(), Email("Enter an email address in the correct format"), Length(max=254)],
    )
    address = TextAreaField("Address", widget=GovTextArea(), validators=[Optional(), Length(max=300)])
    data_accepted = TextAreaField(
        "What information the service accepts",
        widget=GovTextArea(),
        validators=[DataRequired("Say what information the service accepts"), Length(max=500)],
    )
    active = BooleanField("In use (untick to stop new referrals to it)", default=True, widget=GovCheckboxInput())
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


class ReferralForm(OneTimeForm):
    service_id = SelectField(
        "Partner service", coerce=int, widget=GovSelect(), validators=[InputRequired("Select a service")]
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
        "The person agreed to this referral and to sharing this information", widget=GovCheckboxInput()
    )
    submit = SubmitField("Record the referral", widget=GovSubmitInput())


class ReferralUpdateForm(FlaskForm):
    status = RadioField("New status", widget=GovRadioInput(), validators=[InputRequired("Select the new status")])
    happened_on = ForgivingDateField("When", validators=[InputRequired("Enter the date")])
    evidence = RadioField(
        "How do you know?",
        choices=list(EVIDENCE_SOURCES.items()),
        widget=GovRadioInput(),
        description="Needed for attendance and completion.",
        validators=[Optional()],
    )
    note = TextAreaField("Note (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    version = HiddenField()
    submit = SubmitField("Save the update", widget=GovSubmitInput())
