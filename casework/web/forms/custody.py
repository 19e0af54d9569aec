from __future__ import annotations

from datetime import date, time
from typing import Any

from wtforms import BooleanField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from casework.domain.gate_questions import Kind, Question
from casework.domain.people import DISABILITY, ETHNICITIES, SEXES
from casework.services.cases import ALTERNATIVE_OUTCOMES, DECLINE_REASONS, NOT_OFFERED_REASONS
from casework.web.forms.base import Form
from casework.web.forms.fields import (
    ForgivingDateField,
    ForgivingTimeField,
    RadioField,
    RequiredWhen,
    SelectField,
    SelectMultipleField,
)
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

YES_NO = [("yes", "Yes"), ("no", "No")]


def _text(label: str, required: str | None = None, *, max_length: int = 120, hint: str = "", validators=()):
    named = label.removesuffix(" (optional)")
    chain = [*validators, DataRequired(required) if required else Optional()]
    chain.append(Length(max=max_length, message=f"{named} must be {max_length:,} characters or fewer"))
    return StringField(label, description=hint, widget=GovTextInput(), validators=chain)


def _details(label: str, *, required_when: RequiredWhen):
    return TextAreaField(
        label,
        widget=GovTextArea(),
        validators=[
            required_when,
            Optional(),
            Length(max=2000, message=f"{label} must be 2,000 characters or fewer"),
        ],
    )


def _yes_no(label: str, required: str, hint: str = ""):
    return RadioField(
        label, description=hint or "", choices=YES_NO, widget=GovRadioInput(), validators=[InputRequired(required)]
    )


def _outcome_instead():
    return SelectField(
        "Outcome taken instead",
        widget=GovSelect(),
        choices=[("", "Select"), *list(ALTERNATIVE_OUTCOMES.items())],
        validators=[DataRequired("Select the outcome taken instead")],
    )


class PersonSearchForm(Form):
    class Meta:
        csrf = False

    q = _text("Name, PNC ID or date of birth", max_length=100)
    submit = SubmitField("Search", widget=GovSubmitInput())


class PersonForm(OneTimeForm):
    given_names = _text("First names", "Enter the person's first name")
    family_name = _text("Last name", "Enter the person's last name")
    date_of_birth = ForgivingDateField(
        "Date of birth",
        description="For example, 27/3/1990",
        validators=[InputRequired("Enter the person's date of birth")],
    )
    pnc_id = _text("PNC ID (optional)", max_length=20, hint="For example, 19/1234567A")
    address_line_1 = _text("Address line 1", "Enter the first line of the address")
    address_line_2 = _text("Address line 2 (optional)")
    town = _text("Town or city", "Enter the town or city", max_length=80)
    postcode = _text("Postcode", "Enter the postcode", max_length=10)
    phone = _text("Phone number (optional)", max_length=30)
    email = StringField(
        "Email address (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Email("Enter an email address in the correct format, like name@example.com"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    preferred_language = RadioField(
        "Preferred language for letters and messages",
        choices=[("en", "English"), ("cy", "Welsh (Cymraeg)")],
        default="en",
        widget=GovRadioInput(),
        validators=[InputRequired("Select a language")],
    )
    interpreter_needed = _yes_no("Does the person need an interpreter?", "Select whether an interpreter is needed")
    interpreter_language = _text(
        "Interpreter language",
        max_length=60,
        validators=[
            RequiredWhen("interpreter_needed", ("yes",), message="Enter the language the interpreter must speak")
        ],
    )
    appropriate_adult_needed = _yes_no(
        "Does the person need an appropriate adult?",
        "Select whether an appropriate adult is needed",
        hint="Because of a vulnerability, such as a mental health condition or a learning disability.",
    )
    ethnicity = SelectField(
        "Ethnicity (self-defined)",
        choices=[("", "Select"), *ETHNICITIES],
        widget=GovSelect(),
        validators=[DataRequired("Select the person's self-defined ethnicity, or 'Not stated'")],
    )
    sex = RadioField(
        "Sex", choices=SEXES, widget=GovRadioInput(), validators=[InputRequired("Select the person's sex")]
    )
    disability = RadioField(
        "Does the person consider themselves disabled?",
        choices=DISABILITY,
        widget=GovRadioInput(),
        validators=[InputRequired("Select an answer about disability")],
    )
    confirm_new = BooleanField("None of these is the person: create a new record", widget=GovCheckboxInput())
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class OpenCaseForm(OneTimeForm):
    """Opening a case for a person already on record (from the search results, or confirming a second case)."""

    confirm_second = HiddenField()


class CustodyDetailsForm(Form):
    custody_suite = _text("Custody suite", "Enter the custody suite")
    crime_reference = _text("Crime reference", "Enter the crime reference", max_length=40)
    custody_record_number = _text("Custody record number", "Enter the custody record number", max_length=40)
    arrest_date = ForgivingDateField("Date of arrest", validators=[InputRequired("Enter the date of arrest")])
    arrest_time = ForgivingTimeField(
        "Time of arrest",
        description="For example, 9:30pm or 21:30",
        validators=[InputRequired("Enter the time of arrest")],
    )
    offence_first_on = ForgivingDateField(
        "Date of the offence",
        description="The first date, if it went on over time",
        validators=[InputRequired("Enter the date of the offence")],
    )
    offence_last_on = ForgivingDateField(
        "Last date of the offence (if it continued)",
        description="Leave blank for a single day",
        validators=[Optional()],
        invalid="Last date of the offence must be a real date, for example 27/3/2026",
    )
    offence_place = _text(
        "Where the offence happened",
        "Enter where the offence happened",
        max_length=200,
        hint="For example, Tesco, North Road, Durham",
    )
    offence_description = TextAreaField(
        "What happened",
        description="A sentence or two, as it will be printed on the contract. No health or victim details.",
        widget=GovTextArea(),
        validators=[
            DataRequired("Describe what happened in a sentence or two"),
            Length(max=300, message="The description must be 300 characters or fewer"),
        ],
    )
    offence_codes = SelectMultipleField(
        "Offences",
        widget=GovCheckboxesInput(),
        validators=[DataRequired("Select at least one offence")],
        invalid="Select offences from the list",
    )
    version = HiddenField()
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class OverrideForm(Form):
    rationale = TextAreaField(
        "Why should this person be offered a deferred prosecution despite the checklist?",
        widget=GovTextArea(),
        validators=[
            DataRequired("Write the rationale for overriding the checklist"),
            Length(min=20, message="Rationale must be at least 20 characters"),
            Length(max=4000, message="Rationale must be 4,000 characters or fewer"),
        ],
    )
    version = HiddenField()
    submit = SubmitField("Override and continue", widget=GovSubmitInput())


class NotOfferedForm(Form):
    reason = RadioField(
        "Why was it not offered?",
        choices=list(NOT_OFFERED_REASONS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select why the deferred prosecution was not offered")],
    )
    detail = _details(
        "Details",
        required_when=RequiredWhen(
            "reason",
            # The checklist's own findings explain themselves; a discretionary reason needs words.
            tuple(reason for reason in NOT_OFFERED_REASONS if reason not in ("ineligible", "time_barred")),
            message="Explain why the deferred prosecution was not offered",
        ),
    )
    alternative_outcome = _outcome_instead()
    version = HiddenField()
    submit = SubmitField("Record and close", widget=GovSubmitInput())


class DeclinedForm(Form):
    reason = RadioField(
        "Why did the person decline?",
        choices=list(DECLINE_REASONS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select why the person declined")],
    )
    detail = _details(
        "Details", required_when=RequiredWhen("reason", ("other",), message="Explain why the person declined")
    )
    solicitor_present = _yes_no("Was a solicitor present?", "Select whether a solicitor was present")
    consequences_explained = BooleanField(
        "I explained what happens if they decline",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Confirm the consequences of declining were explained")],
    )
    alternative_outcome = _outcome_instead()
    version = HiddenField()
    submit = SubmitField("Record and close", widget=GovSubmitInput())


class AcceptedForm(Form):
    consent_date = ForgivingDateField("Date consent was given", validators=[InputRequired("Enter the date of consent")])
    consent_time = ForgivingTimeField("Time consent was given", validators=[InputRequired("Enter the time of consent")])
    witnessed_by = _text("Who witnessed the consent", "Enter who witnessed the consent")
    solicitor_present = _yes_no("Was a solicitor present?", "Select whether a solicitor was present")
    interpreter_present = _yes_no("Was an interpreter present?", "Select whether an interpreter was present")
    appropriate_adult_present = _yes_no(
        "Was an appropriate adult present?", "Select whether an appropriate adult was present"
    )
    appointment_date = ForgivingDateField(
        "Date of the first navigator appointment", validators=[InputRequired("Enter the date of the first appointment")]
    )
    appointment_time = ForgivingTimeField(
        "Time of the first appointment", validators=[InputRequired("Enter the time of the first appointment")]
    )
    appointment_place = TextAreaField(
        "Where",
        widget=GovTextArea(),
        validators=[
            DataRequired("Enter where the first appointment will be"),
            Length(max=300, message="Where the first appointment will be must be 300 characters or fewer"),
        ],
    )
    # Choices are the case's offences whose terms the sergeant must confirm (set by the view).
    terms_confirmed = SelectMultipleField(
        "Confirm the terms are met",
        widget=GovCheckboxesInput(),
        choices=[],
        validators=[Optional()],
        invalid="Confirm only the offences whose terms are listed",
    )
    time_limit_risk_seen = BooleanField(
        "I have seen that a supervisor will have to accept this risk when the contract is signed",
        widget=GovCheckboxInput(),
    )
    version = HiddenField()
    submit = SubmitField("Record consent and refer", widget=GovSubmitInput())


def checklist_form(section, answers: dict[str, Any], formdata=None):
    """A form for one page of the checklist, built from the questions in domain.gate_questions.
    Every field is optional here: the service says what is missing, all at once, because which
    follow-up questions are needed depends on the other answers."""

    class SectionForm(Form):
        version = HiddenField()
        submit = SubmitField("Save and continue", widget=GovSubmitInput())

    for question in section.questions:
        setattr(SectionForm, question.key, _question_field(question))
    form = SectionForm(formdata=formdata) if formdata is not None else SectionForm()
    if formdata is None:
        for question in section.questions:
            getattr(form, question.key).data = _stored_to_field(question, answers.get(question.key))
    return form


def _question_field(question: Question):
    """Optional in the form (the service names every missing answer at once), but a value that was
    never offered, or a date that is not one, is refused here in the service's own words."""
    label, hint = question.text, question.hint or ""
    not_offered = f"Select one of the answers to: {label}"
    if question.kind is Kind.FACTORS:
        return SelectMultipleField(
            label,
            description=hint,
            choices=list(question.choices),
            widget=GovCheckboxesInput(),
            validators=[Optional()],
            invalid=not_offered,
        )
    if question.kind is Kind.DATE:
        return ForgivingDateField(label, description=hint, validators=[Optional()])
    if question.kind is Kind.TIME:
        return ForgivingTimeField(label, description=hint, validators=[Optional()])
    if question.kind is Kind.PARAGRAPH:
        return TextAreaField(
            label,
            description=hint,
            widget=GovTextArea(),
            validators=[Optional(), Length(max=4000, message="The answer must be 4,000 characters or fewer")],
        )
    if question.kind in (Kind.TEXT, Kind.NUMBER):
        return StringField(
            label,
            description=hint,
            widget=GovTextInput(),
            validators=[Optional(), Length(max=200, message="The answer must be 200 characters or fewer")],
        )
    return RadioField(
        label,
        description=hint,
        choices=list(question.choices),
        widget=GovRadioInput(),
        validators=[Optional()],
        invalid=not_offered,
    )


def _stored_to_field(question: Question, value: Any):
    if value in (None, "", []):
        return None
    if question.kind is Kind.DATE:
        return _parsed(date.fromisoformat, value)
    if question.kind is Kind.TIME:
        return _parsed(time.fromisoformat, value)
    return value


def _parsed(parse, value):
    try:
        return parse(str(value))
    except ValueError:
        return None


def checklist_answers(form, section) -> dict[str, Any]:
    """The answers as the checklist stores them: dates as YYYY-MM-DD, times as HH:MM (London)."""
    answers: dict[str, Any] = {}
    for question in section.questions:
        value = getattr(form, question.key).data
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, time):
            value = value.strftime("%H:%M")
        answers[question.key] = value if value is not None else ([] if question.kind is Kind.FACTORS else "")
    return answers
