"""Forms for breaches: recording a new offence, conduct or a withdrawal, and the navigator's formal
warning or referral to the supervisor. The service checks every rule again and words its refusals."""

from __future__ import annotations

from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from casework.domain.breaches import Delivery
from casework.services.breach_warnings import MIN_REASON
from casework.services.breaches import (
    CONDUCT_SOURCES,
    MAX_REFERENCE,
    MAX_TEXT,
    NEW_OFFENCE_SOURCES,
    NFA,
    NFA_REFUSAL,
    POLICE_ACTIONS,
)
from casework.web.forms.base import Form
from casework.web.forms.fields import ForgivingDateField, RadioField
from casework.web.forms.one_time import OneTimeForm
from casework.web.forms.widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput

TOO_LONG = f"Write {MAX_TEXT:,} characters or fewer"


def _text(label: str, description: str = "", *, required: str | None = None) -> TextAreaField:
    validators = [DataRequired(required)] if required else []
    return TextAreaField(
        label,
        description=description,
        widget=GovTextArea(),
        validators=[*validators, Length(max=MAX_TEXT, message=TOO_LONG)],
    )


class _Reported(OneTimeForm):
    explanation = _text("The person's explanation", "What they said about it, if you know. Optional.")
    evidence_note = _text("Evidence", "What supports the report, such as a police log or messages seen. Optional.")
    version = HiddenField()


class NewOffenceForm(_Reported):
    crime_reference = StringField(
        "Crime reference of the new offence",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the crime reference of the new offence"),
            Length(max=MAX_REFERENCE, message=f"The crime reference must be {MAX_REFERENCE} characters or fewer"),
        ],
    )
    occurred_on = ForgivingDateField(
        "Date of the new offence", validators=[InputRequired("Enter the date of the new offence")]
    )
    police_action = RadioField(
        "What have the police done about it?",
        description="Being arrested and released with no further action is not a breach.",
        choices=list(POLICE_ACTIONS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select what the police have done about the new offence")],
    )
    source = RadioField(
        "Who reported it?",
        choices=list(NEW_OFFENCE_SOURCES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select who reported the new offence")],
    )
    summary = _text("What is alleged", required="Describe the new offence as reported")
    submit = SubmitField("Record the new offence", widget=GovSubmitInput())

    def validate_police_action(self, field) -> None:
        # Said at once, with any other problem, rather than after everything else is filled in.
        if field.data == NFA:
            raise ValidationError(NFA_REFUSAL)


class ConductForm(_Reported):
    # The conditions of the signed contract in force, set by the view.
    condition_id = RadioField(
        "Which condition of the contract was breached?",
        choices=[],
        coerce=int,
        widget=GovRadioInput(),
        validators=[InputRequired("Select the condition of the signed contract that was breached")],
    )
    occurred_on = ForgivingDateField("Date it happened", validators=[InputRequired("Enter the date it happened")])
    source = RadioField(
        "Who reported it?",
        choices=list(CONDUCT_SOURCES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select who reported it")],
    )
    summary = _text("What happened", required="Describe what happened")
    submit = SubmitField("Record the conduct breach", widget=GovSubmitInput())


class WithdrawalForm(OneTimeForm):
    occurred_on = ForgivingDateField(
        "Date the person withdrew", validators=[InputRequired("Enter the date the person withdrew")]
    )
    summary = _text(
        "What did the person say?",
        "In their words where you can.",
        required="Write what the person said, in their words where you can",
    )
    explanation = _text("Anything else the supervisor should know", "Optional.")
    version = HiddenField()
    submit = SubmitField("Record the withdrawal", widget=GovSubmitInput())


def _reason(label: str, description: str, required: str) -> TextAreaField:
    return TextAreaField(
        label,
        description=description,
        widget=GovTextArea(),
        validators=[
            DataRequired(required),
            Length(min=MIN_REASON, message=f"Write at least {MIN_REASON} characters"),
            Length(max=MAX_TEXT, message=TOO_LONG),
        ],
    )


class WarningForm(Form):
    reason = _reason(
        "Why is the person being warned?",
        "The letter gives the person this reason, in these words.",
        "Write why the person is being warned: the letter tells them",
    )
    delivery = RadioField(
        "How will the letter be given to the person?",
        choices=[(d.value, d.label) for d in Delivery],
        widget=GovRadioInput(),
        validators=[InputRequired("Select how the letter is given to the person")],
    )
    version = HiddenField()
    submit = SubmitField("Give the formal warning", widget=GovSubmitInput())


class ReferForm(Form):
    reason = _reason(
        "Why are you referring this to the supervisor?",
        "The supervisor reads this with the evidence recorded for the breach.",
        "Write why you are referring this breach to the supervisor",
    )
    version = HiddenField()
    submit = SubmitField("Refer to the supervisor", widget=GovSubmitInput())
