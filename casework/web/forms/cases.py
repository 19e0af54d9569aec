from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from casework.domain.lifecycle import CaseState
from casework.domain.needs import NEED_DOMAINS, NEED_LEVELS, Safeguarding
from casework.services.assessment import CONTACT_METHODS
from casework.services.case_notes import MAX_NOTE_LENGTH
from casework.services.caseload import Sort
from casework.web.forms.fields import ForgivingDateField, ForgivingTimeField
from casework.web.forms.one_time import OneTimeForm


class CaseloadFilterForm(FlaskForm):
    class Meta:
        csrf = False

    search = StringField(
        "Search",
        description="Name, case or crime reference, PNC ID or date of birth",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=100)],
    )
    state = SelectField(
        "Status",
        widget=GovSelect(),
        validators=[Optional()],
        choices=[("", "Any status")] + [(s.value, s.label) for s in CaseState],
    )
    sort = SelectField(
        "Sort by",
        widget=GovSelect(),
        validators=[Optional()],
        choices=[
            (Sort.DEADLINE.value, "Decision deadline"),
            (Sort.APPOINTMENT.value, "Next appointment"),
            (Sort.NAME.value, "Last name"),
            (Sort.REFERENCE.value, "Case reference"),
            (Sort.STATE.value, "Status"),
        ],
    )
    submit = SubmitField("Apply", widget=GovSubmitInput())


class NoteForm(OneTimeForm):
    body = TextAreaField(
        "Add a case note",
        widget=GovCharacterCount(),
        validators=[
            DataRequired("Enter the note"),
            Length(max=MAX_NOTE_LENGTH, message=f"Note must be {MAX_NOTE_LENGTH:,} characters or fewer"),
        ],
    )
    submit = SubmitField("Save note", widget=GovSubmitInput())


class AllocationForm(FlaskForm):
    navigator_id = SelectField(
        "Navigator", coerce=int, widget=GovSelect(), validators=[DataRequired("Select a navigator")]
    )
    reason = TextAreaField(
        "Reason for reallocating",
        description="Needed when the case already has a navigator.",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=300)],
    )
    version = HiddenField()
    submit = SubmitField("Allocate", widget=GovSubmitInput())


class AcceptanceForm(FlaskForm):
    decision = RadioField(
        "Decision",
        widget=GovRadioInput(),
        choices=[("accept", "Accept the referral"), ("reject", "Do not accept")],
        validators=[InputRequired("Select whether to accept the referral")],
    )
    rationale = TextAreaField("Rationale", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    version = HiddenField()
    submit = SubmitField("Record decision", widget=GovSubmitInput())


class FirstContactForm(FlaskForm):
    contact_date = ForgivingDateField("Date of first contact", validators=[InputRequired("Enter the date")])
    contact_time = ForgivingTimeField("Time", validators=[InputRequired("Enter the time")])
    method = RadioField(
        "How did you make contact?",
        choices=list(CONTACT_METHODS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select how you made contact")],
    )
    version = HiddenField()
    submit = SubmitField("Record first contact", widget=GovSubmitInput())


def assessment_form(formdata=None):
    """One fieldset per need domain, then the safeguarding flags, each flag with its action."""

    class AssessmentForm(FlaskForm):
        submit = SubmitField("Save the assessment", widget=GovSubmitInput())

    for domain, label in NEED_DOMAINS:
        setattr(
            AssessmentForm,
            f"{domain}-need_level",
            RadioField(
                "Level of need",
                choices=[(str(v), text) for v, text in NEED_LEVELS],
                widget=GovRadioInput(),
                validators=[InputRequired(f"Select the level of need for {label.lower()}")],
            ),
        )
        setattr(
            AssessmentForm,
            f"{domain}-linked",
            RadioField(
                "Linked to the offending?",
                choices=[("yes", "Yes"), ("no", "No")],
                widget=GovRadioInput(),
                validators=[InputRequired(f"Say whether {label.lower()} is linked to the offending")],
            ),
        )
        setattr(
            AssessmentForm,
            f"{domain}-priority",
            StringField(
                "The person's own priority (optional)",
                description="1 is the most important to them",
                widget=GovTextInput(),
                validators=[Optional(), Regexp(r"^\s*([1-9]|1[0-5])\s*$", message="Enter a number from 1 to 15")],
            ),
        )
        setattr(
            AssessmentForm,
            f"{domain}-strengths",
            TextAreaField("Strengths", widget=GovTextArea(), validators=[Optional(), Length(max=2000)]),
        )
        setattr(
            AssessmentForm,
            f"{domain}-notes",
            TextAreaField("Notes", widget=GovTextArea(), validators=[Optional(), Length(max=4000)]),
        )
        setattr(
            AssessmentForm,
            f"{domain}-consent",
            BooleanField("The person consents to a referral for this", widget=GovCheckboxInput()),
        )
    for flag in Safeguarding:
        setattr(AssessmentForm, f"flag-{flag.value}", BooleanField(flag.label, widget=GovCheckboxInput()))
        setattr(
            AssessmentForm,
            f"flag-{flag.value}-action",
            TextAreaField("Action taken", widget=GovTextArea(), validators=[Optional(), Length(max=2000)]),
        )
    return AssessmentForm(formdata=formdata) if formdata is not None else AssessmentForm()
