from __future__ import annotations

from datetime import time

from wtforms import BooleanField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from casework.domain.check_ins import Mode
from casework.domain.contract_terms import MAX_WORDING, CompletionRule, ConditionType
from casework.domain.referrals import EVIDENCE_SOURCES
from casework.services.check_ins import MAX_PLACE
from casework.services.contract_signing import AGREEMENTS, COPIES, SIGNATURES
from casework.web.forms.base import Form
from casework.web.forms.check_ins import MODES, PLACE_HINT
from casework.web.forms.fields import (
    ForgivingDateField,
    ForgivingTimeField,
    RadioField,
    RequiredWhen,
    SelectField,
    WholeNumberField,
)
from casework.web.forms.one_time import OneTimeForm
from casework.web.forms.widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)

MEASURED = (CompletionRule.SESSIONS.value, CompletionRule.HOURS.value)


def _longer_text(label: str, *, named: str, required_when: RequiredWhen | None = None, **kwargs):
    """Optional free text up to 2,000 characters; `required_when` makes it needed for some answers."""
    return TextAreaField(
        label,
        widget=GovTextArea(),
        validators=[
            *([required_when] if required_when else []),
            Optional(),
            Length(max=2000, message=f"{named} must be 2,000 characters or fewer"),
        ],
        **kwargs,
    )


def _sessions_or_hours(label: str, *, description: str, validators):
    return WholeNumberField(
        label,
        description=description,
        validators=validators,
        noun="a number of sessions or hours",
        subject="Sessions or hours",
        example=6,
        minimum=1,
        maximum=999,
    )


class ConditionForm(OneTimeForm):
    type = SelectField(
        "Kind of condition",
        choices=[("", "Select"), *[(t.value, t.label) for t in ConditionType]],
        widget=GovSelect(),
        validators=[DataRequired("Select the kind of condition")],
    )
    wording = TextAreaField(
        "What the person must do",
        description="Plain words, as the contract will print them.",
        widget=GovTextArea(),
        validators=[
            DataRequired("Write what the person must do"),
            Length(max=MAX_WORDING, message=f"Wording must be {MAX_WORDING} characters or fewer"),
        ],
    )
    partner_service_id = SelectField(
        "Partner service",
        coerce=int,
        widget=GovSelect(),
        validators=[
            RequiredWhen(
                "type",
                (ConditionType.PATHWAY.value,),
                message="A pathway condition must name a partner service",
                empty=(None, 0),
            ),
            Optional(),
        ],
        invalid="Select a partner service from the list",
    )
    rule = SelectField(
        "How completion is checked",
        widget=GovSelect(),
        choices=[("", "Select"), *[(r.value, r.label) for r in CompletionRule]],
        validators=[DataRequired("Select how completion is checked")],
    )
    target = _sessions_or_hours(
        "How many sessions or hours",
        description="",
        validators=[RequiredWhen("rule", MEASURED, message="Enter how many sessions or hours"), Optional()],
    )
    # Required by the service for every rule but "kept for the whole contract", whose "by when" is
    # the contract's end; so the field itself is optional and says so.
    due_on = ForgivingDateField(
        "By when",
        description=(
            "The date it must be done by, on or before the contract's end. Leave it blank only for a "
            "condition kept for the whole contract: that one runs to the contract's end."
        ),
        validators=[
            RequiredWhen(
                "rule",
                tuple(rule.value for rule in CompletionRule if rule is not CompletionRule.WHOLE_TERM),
                message="Enter the date it must be done by",
            ),
            Optional(),
        ],
        invalid="The date it must be done by must be a real date, for example 27/3/2026",
    )
    victim_asked = BooleanField(
        "For a victim condition: the victim has asked for restorative work",
        widget=GovCheckboxInput(),
        validators=[
            RequiredWhen(
                "type",
                (ConditionType.VICTIM.value,),
                message="Add a victim condition only when the victim has asked for restorative work",
            )
        ],
    )
    version = HiddenField()
    submit = SubmitField("Save condition", widget=GovSubmitInput())


class StartContractForm(Form):
    version = HiddenField()


class AgreementForm(Form):
    agreement = RadioField(
        "Does the person agree to the contract?",
        choices=list(AGREEMENTS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select the person's answer")],
    )
    reason = _longer_text(
        "Why (if they do not agree or could not answer)",
        named="Why",
        required_when=RequiredWhen("agreement", ("does_not_agree", "could_not_answer"), message="Say why"),
    )
    version = HiddenField()
    submit = SubmitField("Record the answer", widget=GovSubmitInput())


class ApprovalForm(Form):
    decision = RadioField(
        "Decision",
        choices=[("approve", "Approve"), ("changes", "Send back for changes")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select a decision")],
    )
    reason = _longer_text(
        "What needs to change",
        named="What needs to change",
        required_when=RequiredWhen("decision", ("changes",), message="Say what needs to change"),
    )
    version = HiddenField()
    submit = SubmitField("Record the decision", widget=GovSubmitInput())


class SigningForm(Form):
    explained_by_id = SelectField(
        "Navigator who explained the contract",
        description="They sign it as the navigator. A supervisor recording the signing countersigns it.",
        coerce=int,
        widget=GovSelect(),
        validators=[DataRequired("Select the navigator who explained the contract")],
    )
    signed_date = ForgivingDateField("Date signed", validators=[InputRequired("Enter the date it was signed")])
    signed_time = ForgivingTimeField("Time signed", validators=[InputRequired("Enter the time it was signed")])
    place = StringField(
        "Where it was signed",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter where the contract was signed"),
            Length(max=200, message="Where it was signed must be 200 characters or fewer"),
        ],
    )
    language = RadioField(
        "Language it was explained in",
        choices=[("en", "English"), ("cy", "Welsh")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select the language the contract was explained in")],
    )
    interpreter_present = RadioField(
        "Was an interpreter present?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether an interpreter was present")],
    )
    appropriate_adult_present = RadioField(
        "Was an appropriate adult present?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether an appropriate adult was present")],
    )
    solicitor_present = RadioField(
        "Was a solicitor present?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether a solicitor was present")],
    )
    person_signature = RadioField(
        "How did the person sign?",
        choices=list(SIGNATURES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select how the person signed")],
    )
    signature_name = StringField(
        "The person's typed name",
        description="Only when they sign on screen.",
        widget=GovTextInput(),
        validators=[
            RequiredWhen(
                "person_signature", ("typed_name",), message="The person must type their name to sign on screen"
            ),
            Optional(),
            Length(max=200, message="The person's typed name must be 200 characters or fewer"),
        ],
    )
    copy_given = RadioField(
        "How did they get their copy?",
        choices=list(COPIES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select how the person was given their copy")],
    )
    # The check-ins a first contract generates (services.check_in_schedule.generate_for_signing).
    check_in_time = ForgivingTimeField(
        "Time of day for the check-ins",
        default=time(10, 0),
        description="Leave as it is for 10am.",
        validators=[Optional()],
        invalid="Time of day for the check-ins must be a real time, for example 9:30am or 14:30",
    )
    check_in_mode = RadioField(
        "How will the check-ins be held?",
        choices=MODES,
        default=Mode.IN_PERSON.value,
        widget=GovRadioInput(),
        validators=[Optional()],
        invalid="Select how the check-ins will be held",
    )
    check_in_place = StringField(
        "Where, or how to join",
        description=f"Leave blank to hold them where the contract is signed. {PLACE_HINT}",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=MAX_PLACE, message=f"The place must be {MAX_PLACE} characters or fewer"),
        ],
    )
    risk_accepted = _longer_text(
        "Risk accepted",
        named="Risk accepted",
        description=(
            "The contract ends too close to the latest charge date. As the supervisor recording the "
            "signing, say why the risk is accepted: you countersign the contract."
        ),
    )
    version = HiddenField()
    submit = SubmitField("Record the signatures", widget=GovSubmitInput())


class ProgressForm(OneTimeForm):
    happened_on = ForgivingDateField(
        "When",
        validators=[InputRequired("Enter the date it happened")],
        invalid="The date it happened must be a real date, for example 27/3/2026",
    )
    amount = _sessions_or_hours(
        "Sessions or hours done",
        description="For conditions measured in sessions or hours.",
        validators=[RequiredWhen(lambda form: form.measured, message="Enter how many sessions or hours"), Optional()],
    )
    evidence = RadioField(
        "How do you know?",
        choices=list(EVIDENCE_SOURCES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select how you know")],
    )
    note = _longer_text("Note (optional)", named="Note")
    at_risk = BooleanField("This condition is at risk of not being met", widget=GovCheckboxInput())
    submit = SubmitField("Record progress", widget=GovSubmitInput())

    def __init__(self, *args, measured: bool = False, **kwargs):
        """`measured`: the condition counts sessions or hours, so the amount is needed."""
        super().__init__(*args, **kwargs)
        self.measured = measured


class VariationForm(Form):
    reason = TextAreaField(
        "Why is the contract being varied?",
        widget=GovTextArea(),
        validators=[
            DataRequired("Explain why the contract is being varied"),
            Length(max=2000, message="Why the contract is being varied must be 2,000 characters or fewer"),
        ],
    )
    extend_weeks = SelectField(
        "Extend the term by",
        widget=GovSelect(),
        coerce=int,
        choices=[(0, "Do not extend")] + [(n, f"{n} week{'s' if n > 1 else ''}") for n in range(1, 9)],
        invalid="Select how many weeks to extend the term by",
    )
    consent = BooleanField(
        "The person consents to the variation",
        widget=GovCheckboxInput(),
        validators=[DataRequired("A variation needs the person's consent")],
    )
    version = HiddenField()
    submit = SubmitField("Start the variation", widget=GovSubmitInput())


class ConditionDecisionForm(Form):
    outcome = RadioField(
        "Supervisor's decision",
        widget=GovRadioInput(),
        choices=[("waived", "Waive this condition"), ("not_met", "This condition has not been met")],
        validators=[InputRequired("Select waived or not met")],
    )
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        validators=[
            DataRequired("Give the reason"),
            Length(min=10, message="Reason must be at least 10 characters"),
            Length(max=2000, message="Reason must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Record the decision", widget=GovSubmitInput())
