from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from casework.domain.lifecycle import CaseState
from casework.services.assessment import CONTACT_METHODS
from casework.services.case_notes import MAX_NOTE_LENGTH
from casework.services.caseload import Sort
from casework.web.forms.fields import ForgivingDateField, ForgivingTimeField


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


class NoteForm(FlaskForm):
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
