from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from casework.domain.contract_terms import MAX_WORDING, CompletionRule, ConditionType
from casework.web.forms.fields import ForgivingDateField


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
    due_on = ForgivingDateField(
        "Due by (optional)", description="On or before the contract's end", validators=[Optional()]
    )
    version = HiddenField()
    submit = SubmitField("Save condition", widget=GovSubmitInput())


class StartContractForm(FlaskForm):
    version = HiddenField()
