from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from casework.domain.contract_terms import MAX_WORDING, CompletionRule, ConditionType
from casework.domain.referrals import EVIDENCE_SOURCES
from casework.services.contract_signing import AGREEMENTS, COPIES, SIGNATURES
from casework.web.forms.fields import ForgivingDateField, ForgivingTimeField


class ConditionForm(FlaskForm):
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
        validators=[DataRequired("Write what the person must do"), Length(max=MAX_WORDING)],
    )
    partner_service_id = SelectField("Partner service", coerce=int, widget=GovSelect(), validators=[Optional()])
    rule = SelectField(
        "How completion is checked",
        widget=GovSelect(),
        choices=[("", "Select"), *[(r.value, r.label) for r in CompletionRule]],
        validators=[DataRequired("Select how completion is checked")],
    )
    target = StringField(
        "How many sessions or hours",
        widget=GovTextInput(),
        validators=[Optional(), Regexp(r"^\s*\d{1,3}\s*$", message="Enter a whole number")],
    )
    # Required by the service for every rule but "kept for the whole contract", whose "by when" is
    # the contract's end; so the field itself is optional and says so.
    due_on = ForgivingDateField(
        "By when",
        description=(
            "The date it must be done by, on or before the contract's end. Leave it blank only for a "
            "condition kept for the whole contract: that one runs to the contract's end."
        ),
        validators=[Optional()],
    )
    victim_asked = BooleanField(
        "For a victim condition: the victim has asked for restorative work", widget=GovCheckboxInput()
    )
    version = HiddenField()
    submit = SubmitField("Save condition", widget=GovSubmitInput())


class StartContractForm(FlaskForm):
    version = HiddenField()


class AgreementForm(FlaskForm):
    agreement = RadioField(
        "Does the person agree to the contract?",
        choices=list(AGREEMENTS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select the person's answer")],
    )
    reason = TextAreaField(
        "Why (if they do not agree or could not answer)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000)],
    )
    version = HiddenField()
    submit = SubmitField("Record the answer", widget=GovSubmitInput())


class ApprovalForm(FlaskForm):
    decision = RadioField(
        "Decision",
        choices=[("approve", "Approve"), ("changes", "Send back for changes")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select a decision")],
    )
    reason = TextAreaField("What needs to change", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    version = HiddenField()
    submit = SubmitField("Record the decision", widget=GovSubmitInput())


class SigningForm(FlaskForm):
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
        validators=[DataRequired("Enter where the contract was signed"), Length(max=200)],
    )
    language = RadioField(
        "Language it was explained in",
        choices=[("en", "English"), ("cy", "Welsh")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select the language")],
    )
    interpreter_present = RadioField(
        "Was an interpreter present?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select yes or no")],
    )
    appropriate_adult_present = RadioField(
        "Was an appropriate adult present?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select yes or no")],
    )
    solicitor_present = RadioField(
        "Was a solicitor present?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select yes or no")],
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
        validators=[Optional(), Length(max=200)],
    )
    copy_given = RadioField(
        "How did they get their copy?",
        choices=list(COPIES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select how the copy was given")],
    )
    risk_accepted = TextAreaField(
        "Risk accepted",
        description=(
            "The contract ends too close to the latest charge date. As the supervisor recording the "
            "signing, say why the risk is accepted: you countersign the contract."
        ),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000)],
    )
    version = HiddenField()
    submit = SubmitField("Record the signatures", widget=GovSubmitInput())


class ProgressForm(FlaskForm):
    happened_on = ForgivingDateField("When", validators=[InputRequired("Enter the date")])
    amount = StringField(
        "Sessions or hours done",
        description="For conditions measured in sessions or hours.",
        widget=GovTextInput(),
        validators=[Optional(), Regexp(r"^\s*\d{1,3}\s*$", message="Enter a whole number")],
    )
    evidence = RadioField(
        "How do you know?",
        choices=list(EVIDENCE_SOURCES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Say how you know")],
    )
    note = TextAreaField("Note (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    at_risk = BooleanField("This condition is at risk of not being met", widget=GovCheckboxInput())
    submit = SubmitField("Record progress", widget=GovSubmitInput())


class VariationForm(FlaskForm):
    reason = TextAreaField(
        "Why is the contract being varied?",
        widget=GovTextArea(),
        validators=[DataRequired("Explain why the contract is being varied"), Length(max=2000)],
    )
    extend_weeks = SelectField(
        "Extend the term by",
        widget=GovSelect(),
        coerce=int,
        choices=[(0, "Do not extend")] + [(n, f"{n} week{'s' if n > 1 else ''}") for n in range(1, 9)],
    )
    consent = BooleanField("The person consents to the variation", widget=GovCheckboxInput())
    version = HiddenField()
    submit = SubmitField("Start the variation", widget=GovSubmitInput())


class ConditionDecisionForm(FlaskForm):
    outcome = RadioField(
        "Supervisor's decision",
        widget=GovRadioInput(),
        choices=[("waived", "Waive this condition"), ("not_met", "This condition has not been met")],
        validators=[InputRequired("Select waived or not met")],
    )
    reason = TextAreaField(
        "Reason", widget=GovTextArea(), validators=[DataRequired("Give the reason"), Length(max=2000)]
    )
    submit = SubmitField("Record the decision", widget=GovSubmitInput())
