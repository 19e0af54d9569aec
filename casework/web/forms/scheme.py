"""The scheme settings form, built from the list of editable settings in services.schemes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from casework.services.schemes import CHOICES, NUMBER_RANGES
from casework.web.forms.fields import ForgivingDateField

LABELS = {
    "scheme_name": "Scheme name",
    "force_name": "Force",
    "areas_served": "Areas served",
    "min_age": "Minimum age",
    "max_offence_age_months": "Oldest offence that can be offered, in months",
    "admission_rule": "Admission rule",
    "exclude_indictable_only": "Exclude indictable-only offences",
    "max_gravity_without_override": "Highest gravity score without an override",
    "previous_conviction_rule": "Previous convictions",
    "previous_conviction_limit": "Most previous convictions allowed",
    "acceptance_step": "Acceptance of referrals",
    "victim_views_rule": "Victim's views",
    "contract_length_months": "Contract length, in months",
    "max_conditions": "Most conditions in a contract",
    "community_hours_min": "Fewest community hours",
    "community_hours_max": "Most community hours",
    "contract_approval_required": "Contracts need a supervisor's approval",
    "weekly_check_ins": "Weekly check-ins at the start",
    "then_check_in_every_days": "Then a check-in every (days)",
    "first_contact_working_days": "First contact target, in working days",
    "warnings_before_review": "Warnings before a supervisor review",
    "time_limit_margin_days": "Days kept before the charge deadline for preparing the file",
    "completion_outcome_code": "Outcome code recorded on completion",
    "failure_route": "Route when a contract fails",
    "languages": "Languages",
    "retention_years": "Review records after (years)",
}
CHOICE_LABELS = {
    "full_admission": "Full admission only",
    "admission_or_no_reply": "Admission, or no reply with enough evidence",
    "no_denial": "No denial",
    "none": "None",
    "max_count": "A maximum number",
    "none_allowed": "None allowed",
    "supervisor": "A supervisor accepts each referral",
    "advisory": "Advisory",
    "consent_required": "The victim must agree",
    "charge": "Charge",
    "caution": "Caution",
}


def scheme_form(formdata=None, **values):
    class SchemeForm(FlaskForm):
        effective_from = ForgivingDateField(
            "Takes effect on",
            description="Today or later, for example 1/12/2026",
            validators=[InputRequired("Enter the date the change takes effect")],
        )
        change_reason = TextAreaField(
            "Why are the settings changing?",
            widget=GovTextArea(),
            validators=[DataRequired("Explain why the settings are changing"), Length(max=500)],
        )
        languages = SelectMultipleField(
            LABELS["languages"],
            choices=[("en", "English"), ("cy", "Welsh")],
            widget=GovCheckboxesInput(),
            validators=[DataRequired("Select at least one language")],
        )
        previous_conviction_limit = IntegerField(
            LABELS["previous_conviction_limit"], widget=GovTextInput(), validators=[Optional()]
        )
        submit = SubmitField("Save the new settings", widget=GovSubmitInput())

    for name in ("scheme_name", "force_name", "areas_served"):
        setattr(
            SchemeForm,
            name,
            StringField(
                LABELS[name], widget=GovTextInput(), validators=[DataRequired("Enter a value"), Length(max=120)]
            ),
        )
    for name, (low, high) in NUMBER_RANGES.items():
        setattr(
            SchemeForm,
            name,
            IntegerField(
                LABELS[name],
                widget=GovTextInput(),
                description=f"{low} to {high}",
                validators=[InputRequired(f"Enter a whole number from {low} to {high}")],
            ),
        )
    for name, options in CHOICES.items():
        setattr(
            SchemeForm,
            name,
            SelectField(
                LABELS[name],
                choices=[(o, CHOICE_LABELS[o]) for o in options],
                widget=GovSelect(),
                validators=[DataRequired("Select one")],
            ),
        )
    for name in ("exclude_indictable_only", "contract_approval_required"):
        setattr(
            SchemeForm,
            name,
            RadioField(
                LABELS[name],
                choices=[("yes", "Yes"), ("no", "No")],
                widget=GovRadioInput(),
                validators=[InputRequired("Select yes or no")],
            ),
        )
    return SchemeForm(formdata=formdata, **values) if formdata is not None else SchemeForm(**values)


INCLUSION_CHOICES = [("included", "Included"), ("included_with_terms", "Included with terms"), ("excluded", "Excluded")]


class InclusionForm(FlaskForm):
    inclusion = RadioField(
        "Does the scheme take this offence?",
        choices=INCLUSION_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether the scheme includes the offence")],
    )
    terms = TextAreaField(
        "Terms",
        description="Needed when the offence is included with terms.",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=500)],
    )
    effective_from = ForgivingDateField(
        "Takes effect on",
        description="Today or later",
        validators=[InputRequired("Enter the date the change takes effect")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class OffenceFactsForm(FlaskForm):
    title = StringField(
        "Title", widget=GovTextInput(), validators=[DataRequired("Enter the offence's title"), Length(max=200)]
    )
    title_cy = StringField(
        "Title in Welsh",
        description="Printed on Welsh documents.",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the offence's title in Welsh, for Welsh documents"), Length(max=200)],
    )
    legislation = StringField(
        "Contrary to",
        description="As the contract prints it: for example, section 39 of the Criminal Justice Act 1988",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the legislation the offence is contrary to"), Length(max=200)],
    )
    legislation_cy = StringField(
        "Contrary to, in Welsh",
        description="For example, adran 39 o Ddeddf Cyfiawnder Troseddol 1988",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the legislation in Welsh"), Length(max=200)],
    )
    mode_of_trial = RadioField(
        "Mode of trial",
        widget=GovRadioInput(),
        choices=[
            ("summary_only", "Summary only"),
            ("either_way", "Either way"),
            ("indictable_only", "Indictable only"),
        ],
        validators=[InputRequired("Select the mode of trial")],
    )
    s127_applies = RadioField(
        "Does the six-month limit (MCA 1980 s.127) apply?",
        widget=GovRadioInput(),
        choices=[("yes", "Yes"), ("no", "No")],
        validators=[InputRequired("Select yes or no")],
    )
    gravity_base = IntegerField(
        "Base gravity score",
        description="1 (low) to 4 (high)",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a gravity score from 1 to 4")],
    )
    flags = SelectMultipleField(
        "Flags",
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        choices=[
            ("domestic_abuse", "Domestic abuse"),
            ("hate", "Hate crime"),
            ("sexual", "Sexual"),
            ("driving", "Driving"),
            ("weapon", "Weapon"),
        ],
    )
    submit = SubmitField("Save the offence", widget=GovSubmitInput())


class OffenceForm(OffenceFactsForm, InclusionForm):
    """A new offence: its facts, its first inclusion rule, and a code."""

    code = StringField(
        "Code",
        description="The Home Office or local offence code",
        widget=GovTextInput(),
        validators=[DataRequired("Enter a code"), Length(max=20)],
    )
