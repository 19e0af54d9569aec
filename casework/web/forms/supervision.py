"""Forms for the supervisor's decision on a breach, resuming a suspended case, and follow-ups."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from casework.domain.breaches import Decision
from casework.services.case_endings import MAX_TEXT
from casework.services.follow_up_flags import MAX_NOTE, MAX_WHAT
from casework.services.variations import MAX_EXTENSION_WEEKS
from casework.web.forms.base import Form
from casework.web.forms.fields import ForgivingDateField, RadioField, RequiredWhen, SelectField
from casework.web.forms.one_time import OneTimeForm
from casework.web.forms.widgets import GovCheckboxInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextArea

DECISION_HINTS = {
    Decision.NO_ACTION: "For example, the absence was acceptable after all. The case goes back to active.",
    Decision.FINAL_WARNING: "A final warning letter is sent to the person in their language.",
    Decision.VARY: "Change the conditions or extend the term, with the person's consent. You go on to the "
    "variation next.",
    Decision.SUSPEND: "Pause the term, for example while the person is in hospital. The days paused extend "
    "the term, never the latest charge date.",
    Decision.TERMINATE: "The contract ends and the case goes for a prosecution decision.",
}


class DecisionForm(Form):
    decision = RadioField(
        "What is your decision?",
        choices=[(decision.value, decision.label) for decision in Decision],
        widget=GovRadioInput(),
        validators=[InputRequired("Select a decision")],
        invalid="Select one of the decisions listed",
    )
    rationale = TextAreaField(
        "Why have you decided this?",
        description="Your reasons are kept with the breach and go in the prosecution file.",
        widget=GovTextArea(),
        validators=[
            DataRequired("Write the reasons for the decision"),
            Length(max=MAX_TEXT, message=f"Write the reasons in {MAX_TEXT} characters or fewer"),
        ],
    )
    reclassify = BooleanField(
        "No action: the missed check-in was an acceptable absence after all", widget=GovCheckboxInput()
    )
    suspended_from = ForgivingDateField(
        "Suspend: the date the term is paused from",
        validators=[
            RequiredWhen("decision", (Decision.SUSPEND.value,), message="Enter the date the suspension starts from"),
            Optional(),
        ],
    )
    extend_weeks = SelectField(
        "Vary: extend the term by",
        widget=GovSelect(),
        coerce=int,
        choices=[(0, "Do not extend")]
        + [(n, f"{n} week{'s' if n > 1 else ''}") for n in range(1, MAX_EXTENSION_WEEKS + 1)],
        invalid="Select how many weeks the variation extends the term by",
    )
    version = HiddenField()
    submit = SubmitField("Record the decision", widget=GovSubmitInput())


class ResumeForm(Form):
    resumed_on = ForgivingDateField(
        "The date the term starts again", validators=[InputRequired("Enter the date the term starts again")]
    )
    version = HiddenField()
    submit = SubmitField("Resume the contract", widget=GovSubmitInput())


class FollowUpForm(OneTimeForm):
    what = TextAreaField(
        "What should the navigator follow up?",
        widget=GovTextArea(),
        validators=[
            DataRequired("Enter what the navigator should follow up"),
            Length(max=MAX_WHAT, message=f"Enter what to follow up in {MAX_WHAT} characters or fewer"),
        ],
    )
    due_on = ForgivingDateField("Follow it up by", validators=[InputRequired("Enter the date to follow it up by")])
    submit = SubmitField("Ask for the follow-up", widget=GovSubmitInput())


class FollowUpDoneForm(Form):
    note = TextAreaField(
        "What was done?",
        widget=GovTextArea(),
        validators=[
            DataRequired("Write what was done"),
            Length(max=MAX_NOTE, message=f"Write what was done in {MAX_NOTE} characters or fewer"),
        ],
    )
    version = HiddenField()
    submit = SubmitField("Mark as done", widget=GovSubmitInput())
