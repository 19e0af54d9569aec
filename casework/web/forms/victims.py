"""Forms for the victim's details, an update given to them, and a reoffending check's result."""

from __future__ import annotations

from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from casework.domain.victims import (
    CONTACT_METHODS,
    ENHANCED_GROUNDS,
    REOFFENDING_RESULTS,
    RESULT_SOURCES,
    UPDATE_METHODS,
    VIEW_LABELS,
)
from casework.web.forms.base import Form
from casework.web.forms.fields import ForgivingDateField, RadioField, RequiredWhen
from casework.web.forms.widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput

YES_NO = [("yes", "Yes"), ("no", "No")]


def _contact(label: str, max_length: int, *, method: str, words: str, hint: str = "") -> StringField:
    """Optional, except for the contact method the victim chose."""
    return StringField(
        label,
        description=hint,
        widget=GovTextInput(),
        validators=[
            RequiredWhen("contact_method", (method,), message=f"Enter {words} for the contact method chosen"),
            Optional(),
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"),
        ],
    )


class VictimAtOfferForm(Form):
    """What the custody sergeant records at the offer; the views are the checklist's answer."""

    not_sought_reason = TextAreaField(
        "Why were the victim's views not sought?",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000, message="The reason must be 2,000 characters or fewer")],
    )
    views_in_words = TextAreaField(
        "The victim's views in their words (optional)",
        description="What they said, briefly. It is seen only by the navigator allocated to the case and supervisors.",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000, message="The victim's views must be 2,000 characters or fewer")],
    )
    wants_restorative = RadioField(
        "Does the victim ask for restorative work?",
        description="For example, a letter of apology or a meeting, if the victim wishes it.",
        choices=YES_NO,
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether the victim asks for restorative work")],
    )
    enhanced_ground = RadioField(
        "Is the victim entitled to enhanced rights under the Victims' Code?",
        description="Enhanced rights mean updates within 1 working day instead of 5.",
        choices=[("", "No"), *ENHANCED_GROUNDS.items()],
        widget=GovRadioInput(),
        validators=[Optional()],
        invalid="Select one of the grounds listed, or no",
    )
    wants_updates = RadioField(
        "Does the victim want to be kept updated?",
        choices=YES_NO,
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether the victim wants to be kept updated")],
    )
    contact_method = RadioField(
        "How does the victim prefer to be contacted?",
        choices=list(CONTACT_METHODS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select how the victim prefers to be contacted")],
    )
    contact_name = StringField(
        "Victim's name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the victim's name"),
            Length(max=200, message="The victim's name must be 200 characters or fewer"),
        ],
    )
    contact_phone = _contact("Phone number", 40, method="phone", words="a phone number", hint="If they gave one.")
    contact_email = _contact("Email address", 200, method="email", words="an email address", hint="If they gave one.")
    contact_address = _contact("Postal address", 300, method="letter", words="an address", hint="Only for letters.")
    version = HiddenField()
    submit = SubmitField("Save the victim's details", widget=GovSubmitInput())


class VictimForm(VictimAtOfferForm):
    """Later, the navigator or a supervisor may record views sought since the offer."""

    views = RadioField(
        "What are the victim's views on a deferred prosecution?",
        choices=list((view.value, label) for view, label in VIEW_LABELS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select the victim's views on a deferred prosecution")],
    )
    not_sought_reason = TextAreaField(
        "If not sought, why not?",
        widget=GovTextArea(),
        validators=[
            RequiredWhen("views", ("not_sought",), message="Say why the victim's views were not sought"),
            Optional(),
            Length(max=2000, message="The reason must be 2,000 characters or fewer"),
        ],
    )


class UpdateGivenForm(Form):
    given_on = ForgivingDateField(
        "Date the update was given",
        validators=[InputRequired("Enter the date the update was given")],
    )
    method = RadioField(
        "How was the update given?",
        choices=list(UPDATE_METHODS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select how the update was given")],
    )
    summary = TextAreaField(
        "What was the victim told?",
        description="In brief. Keep out anything about the person's health or needs.",
        widget=GovTextArea(),
        validators=[
            DataRequired("Write what the victim was told, in brief"),
            Length(max=2000, message="What the victim was told must be 2,000 characters or fewer"),
        ],
    )
    version = HiddenField()
    submit = SubmitField("Record the update", widget=GovSubmitInput())


class FollowUpResultForm(Form):
    result = RadioField(
        "Has the person reoffended?",
        choices=list(REOFFENDING_RESULTS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether the person has reoffended")],
    )
    source = RadioField(
        "Where does the result come from?",
        choices=list(RESULT_SOURCES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select where the result comes from")],
    )
    source_detail = StringField(
        "Details of the source",
        description="For example, the PNC reference or the system checked. Needed for another source.",
        widget=GovTextInput(),
        validators=[
            RequiredWhen("source", ("other",), message="Say where the result comes from"),
            Optional(),
            Length(max=200, message="Details of the source must be 200 characters or fewer"),
        ],
    )
    checked_on = ForgivingDateField("Date of the check", validators=[InputRequired("Enter the date of the check")])
    version = HiddenField()
    submit = SubmitField("Record the result", widget=GovSubmitInput())
