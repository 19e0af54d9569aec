from __future__ import annotations

from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from casework.domain.lifecycle import CaseState
from casework.services.assessment import CONTACT_METHODS
from casework.services.case_notes import MAX_NOTE_LENGTH
from casework.services.caseload import Sort
from casework.web.forms.base import Form
from casework.web.forms.fields import (
    ForgivingDateField,
    ForgivingTimeField,
    RadioField,
    RequiredWhen,
    SelectField,
)
from casework.web.forms.one_time import OneTimeForm
from casework.web.forms.widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)


class CaseloadFilterForm(Form):
    class Meta:
        csrf = False

    search = StringField(
        "Search",
        description="Name, case or crime reference, PNC ID or date of birth",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=100, message="Search must be 100 characters or fewer")],
    )
    state = SelectField(
        "Status",
        widget=GovSelect(),
        validators=[Optional()],
        choices=[("", "Any status")] + [(s.value, s.label) for s in CaseState],
        invalid="Select a status from the list",
    )
    sort = SelectField(
        "Sort by",
        widget=GovSelect(),
        validators=[Optional()],
        invalid="Select how to sort the list",
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


class AllocationForm(Form):
    navigator_id = SelectField(
        "Navigator", coerce=int, widget=GovSelect(), validators=[DataRequired("Select a navigator")]
    )
    reason = TextAreaField(
        "Reason for reallocating",
        description="Needed when the case already has a navigator.",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=300, message="Reason for reallocating must be 300 characters or fewer")],
    )
    version = HiddenField()
    submit = SubmitField("Allocate", widget=GovSubmitInput())


class AcceptanceForm(Form):
    decision = RadioField(
        "Decision",
        widget=GovRadioInput(),
        choices=[("accept", "Accept the referral"), ("reject", "Do not accept")],
        validators=[InputRequired("Select whether to accept the referral")],
    )
    rationale = TextAreaField(
        "Rationale",
        description="Needed when you do not accept the referral.",
        widget=GovTextArea(),
        validators=[
            RequiredWhen("decision", ("reject",), message="Explain why the referral is not accepted"),
            Optional(),
            Length(max=2000, message="Rationale must be 2,000 characters or fewer"),
        ],
    )
    version = HiddenField()
    submit = SubmitField("Record decision", widget=GovSubmitInput())


class FirstContactForm(Form):
    contact_date = ForgivingDateField(
        "Date of first contact", validators=[InputRequired("Enter the date of first contact")]
    )
    contact_time = ForgivingTimeField(
        "Time",
        validators=[InputRequired("Enter the time of first contact")],
        invalid="Time of first contact must be a real time, for example 9:30am or 14:30",
    )
    method = RadioField(
        "How did you make contact?",
        choices=list(CONTACT_METHODS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select how you made contact")],
    )
    version = HiddenField()
    submit = SubmitField("Record first contact", widget=GovSubmitInput())
