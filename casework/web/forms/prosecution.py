"""The prosecution decision and the "recorded on force system" confirmation. The decision's
answers for each route sit in their own named group; the service reads only the route chosen's."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from casework.services.case_outcomes import MAX_REFERENCE
from casework.services.prosecution import MAX_TEXT, MAX_WORDING, MIN_RATIONALE
from casework.web.forms.base import Form
from casework.web.forms.fields import ForgivingDateField, RadioField, RequiredWhen
from casework.web.forms.widgets import GovCheckboxInput, GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput


def _chosen(route: str):
    return lambda form: form.route.data == route


def _code(label: str, route: str, message: str) -> RadioField:
    return RadioField(
        label,
        choices=[],
        coerce=int,
        widget=GovRadioInput(),
        validators=[RequiredWhen(_chosen(route), message=message), Optional()],
        invalid=message,
    )


class DecisionForm(Form):
    route = RadioField(
        "What is the decision?",
        choices=[],
        widget=GovRadioInput(),
        validators=[InputRequired("Select the decision")],
        invalid="Select one of the decisions listed",
    )
    charge_wording = TextAreaField(
        "Charge wording",
        description="As it appears on the charge sheet or the written charge.",
        widget=GovTextArea(),
        validators=[
            RequiredWhen(_chosen("charged"), message="Enter the charge wording"),
            Optional(),
            Length(max=MAX_WORDING, message=f"Enter the charge wording in {MAX_WORDING} characters or fewer"),
        ],
    )
    charged_on = ForgivingDateField(
        "Date of the charge or postal requisition",
        validators=[
            RequiredWhen(_chosen("charged"), message="Enter the date of the charge or postal requisition"),
            Optional(),
        ],
    )
    court_date = ForgivingDateField(
        "First court date (optional)", description="Leave blank if it is not known yet.", validators=[Optional()]
    )
    alternative_code = _code("Which outcome?", "alternative", "Select the alternative outcome")
    nfa_code = _code(
        "Why is no further action being taken?", "no_further_action", "Select the reason for no further action"
    )
    evidential_code = _code(
        "Does the victim support action?", "evidential", "Select whether the victim supports action"
    )
    rationale = TextAreaField(
        "Why was this decision made?",
        description="The person is sent these reasons in their decision letter, so write them plainly.",
        widget=GovTextArea(),
        validators=[
            DataRequired("Write why this decision was made"),
            Length(
                min=MIN_RATIONALE,
                max=MAX_TEXT,
                message=f"Write between {MIN_RATIONALE} and {MAX_TEXT} characters on why this decision was made",
            ),
        ],
    )
    version = HiddenField()
    submit = SubmitField("Record the decision", widget=GovSubmitInput())

    def validate_court_date(self, field) -> None:
        """Checked here as well as by the service, so it is shown with the form's other problems."""
        charged_on = self.charged_on.data
        if self.route.data == "charged" and field.data and charged_on and field.data < charged_on:
            raise ValidationError("The court date cannot be before the charge date")


class ForceRecordForm(Form):
    force_reference = StringField(
        "Force system reference (optional)",
        description="For example, the occurrence number on Niche or Athena.",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=MAX_REFERENCE, message=f"Enter the reference in {MAX_REFERENCE} characters or fewer"),
        ],
    )
    confirmed = BooleanField(
        "I confirm the outcome code and date have been entered on the force's systems",
        widget=GovCheckboxInput(),
        validators=[InputRequired("Confirm that the outcome has been entered on the force's systems")],
    )
    submit = SubmitField("Confirm", widget=GovSubmitInput())
