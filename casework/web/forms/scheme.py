"""The scheme settings form, built from the list of editable settings in services.schemes."""

from __future__ import annotations

from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from casework.domain.offence_groups import OFFENCE_GROUPS
from casework.domain.offence_terms import TermRequirement
from casework.services.schemes import CHOICES, NUMBER_RANGES
from casework.web.forms.base import Form
from casework.web.forms.fields import (
    ForgivingDateField,
    RadioField,
    RequiredWhen,
    SelectField,
    SelectMultipleField,
    WholeNumberField,
)
from casework.web.forms.widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)

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
    "previous_conviction_years": "No previous convictions within this many years",
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
    "suppression_threshold": "Hide report figures counting fewer people than",
    "reminder_hours": "Reminders go this many hours before each check-in",
}
CHOICE_LABELS = {
    "full_admission": "Full admission only",
    "admission_or_no_reply": "Admission, or no reply with enough evidence",
    "no_denial": "No denial",
    "none": "None",
    "max_count": "A maximum number",
    "none_allowed": "None allowed",
    "none_within_years": "None within a number of years",
    "supervisor": "A supervisor accepts each referral",
    "advisory": "Advisory",
    "consent_required": "The victim must agree",
    "charge": "Charge",
    "caution": "Caution",
}


# For each number: what to type ("Enter the minimum age, like 18") and what it is called in a
# message about its range ("Minimum age must be 10 or more").
NUMBER_WORDS = {
    "min_age": ("the minimum age", "Minimum age", 18),
    "max_offence_age_months": ("the oldest offence that can be offered, in months", "Oldest offence in months", 6),
    "max_gravity_without_override": ("the highest gravity score without an override", "Highest gravity score", 3),
    "contract_length_months": ("the contract length in months", "Contract length in months", 4),
    "max_conditions": ("the most conditions in a contract", "Most conditions in a contract", 5),
    "community_hours_min": ("the fewest community hours", "Fewest community hours", 18),
    "community_hours_max": ("the most community hours", "Most community hours", 36),
    "weekly_check_ins": ("the number of weekly check-ins at the start", "Weekly check-ins", 4),
    "then_check_in_every_days": ("the days between later check-ins", "Days between later check-ins", 14),
    "first_contact_working_days": ("the first contact target in working days", "First contact target", 5),
    "warnings_before_review": ("the number of warnings before a review", "Warnings before a review", 2),
    "time_limit_margin_days": ("the days kept before the charge deadline", "Days kept before the deadline", 21),
    "completion_outcome_code": ("the outcome code recorded on completion", "Outcome code", 22),
    "retention_years": ("the number of years before records are reviewed", "Years before review", 6),
    "suppression_threshold": ("the smallest number of people a report may show", "Smallest number shown", 5),
}
SELECT_MESSAGES = {
    "admission_rule": "Select the admission rule",
    "previous_conviction_rule": "Select the rule on previous convictions",
    "acceptance_step": "Select how referrals are accepted",
    "victim_views_rule": "Select how the victim's views count",
    "failure_route": "Select the route when a contract fails",
}
FLAG_MESSAGES = {
    "exclude_indictable_only": "Select whether indictable-only offences are excluded",
    "contract_approval_required": "Select whether contracts need a supervisor's approval",
}


def scheme_form(formdata=None, **values):
    class SchemeForm(Form):
        effective_from = ForgivingDateField(
            "Takes effect on",
            description=(
                "Today or later, for example 1/12/2026. Choosing the date of a version that takes effect "
                "today or later corrects that version"
            ),
            validators=[InputRequired("Enter the date the change takes effect")],
            invalid="The date the change takes effect must be a real date, for example 1/12/2026",
        )
        change_reason = TextAreaField(
            "Why are the settings changing?",
            widget=GovTextArea(),
            validators=[
                DataRequired("Explain why the settings are changing"),
                Length(max=500, message="Why the settings are changing must be 500 characters or fewer"),
            ],
        )
        languages = SelectMultipleField(
            LABELS["languages"],
            choices=[("en", "English"), ("cy", "Welsh")],
            widget=GovCheckboxesInput(),
            validators=[DataRequired("Select at least one language")],
            invalid="Select English, Welsh or both",
        )
        previous_conviction_limit = WholeNumberField(
            LABELS["previous_conviction_limit"],
            validators=[
                RequiredWhen(
                    "previous_conviction_rule", ("max_count",), message="Enter the most previous convictions allowed"
                ),
                Optional(),
            ],
            noun="the most previous convictions allowed",
            subject="Most previous convictions allowed",
            example=2,
            minimum=0,
            maximum=100,
        )
        previous_conviction_years = WholeNumberField(
            LABELS["previous_conviction_years"],
            description="Only for the rule 'None within a number of years'",
            validators=[
                RequiredWhen(
                    "previous_conviction_rule",
                    ("none_within_years",),
                    message="Enter how many years must be free of convictions",
                ),
                Optional(),
            ],
            noun="a number of years",
            subject="The number of years",
            example=5,
            minimum=1,
            maximum=20,
        )
        reminder_hours = StringField(
            LABELS["reminder_hours"],
            description="Whole hours separated by commas, for example 48, 2",
            widget=GovTextInput(),
            validators=[
                DataRequired("Enter the hours before a check-in that reminders go, like 48, 2"),
                Length(max=40, message="Reminder times must be 40 characters or fewer"),
            ],
        )
        submit = SubmitField("Save the new settings", widget=GovSubmitInput())

    for name in ("scheme_name", "force_name", "areas_served"):
        setattr(
            SchemeForm,
            name,
            StringField(
                LABELS[name],
                widget=GovTextInput(),
                validators=[
                    DataRequired(f"Enter the {LABELS[name].lower()}"),
                    Length(max=120, message=f"{LABELS[name]} must be 120 characters or fewer"),
                ],
            ),
        )
    for name, (low, high) in NUMBER_RANGES.items():
        noun, subject, example = NUMBER_WORDS[name]
        setattr(
            SchemeForm,
            name,
            WholeNumberField(
                LABELS[name],
                description=f"{low} to {high}",
                validators=[InputRequired(f"Enter {noun}, like {example}")],
                noun=noun,
                subject=subject,
                example=example,
                minimum=low,
                maximum=high,
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
                validators=[DataRequired(SELECT_MESSAGES[name])],
            ),
        )
    for name, message in FLAG_MESSAGES.items():
        setattr(
            SchemeForm,
            name,
            RadioField(
                LABELS[name],
                choices=[("yes", "Yes"), ("no", "No")],
                widget=GovRadioInput(),
                validators=[InputRequired(message)],
            ),
        )
    return SchemeForm(formdata=formdata, **values) if formdata is not None else SchemeForm(**values)


INCLUSION_CHOICES = [("included", "Included"), ("included_with_terms", "Included with terms"), ("excluded", "Excluded")]


class InclusionForm(Form):
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
        validators=[
            RequiredWhen("inclusion", ("included_with_terms",), message="Describe the terms"),
            Optional(),
            Length(max=500, message="Terms must be 500 characters or fewer"),
        ],
    )
    requirements = SelectMultipleField(
        "What the terms ask before a referral",
        description="Needed when the offence is included with terms. Select all that apply.",
        choices=[(requirement.value, requirement.label) for requirement in TermRequirement],
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        invalid="Select what the terms ask from the list",
    )
    effective_from = ForgivingDateField(
        "Takes effect on",
        description=(
            "Today or later, for example 1/12/2026. Choosing the date of a rule that takes effect today or later "
            "corrects that rule"
        ),
        validators=[InputRequired("Enter the date the change takes effect")],
        invalid="The date the change takes effect must be a real date, for example 1/12/2026",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class OffenceFactsForm(Form):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the offence's title"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    title_cy = StringField(
        "Title in Welsh",
        description="Printed on Welsh documents.",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the offence's title in Welsh, for Welsh documents"),
            Length(max=200, message="The title in Welsh must be 200 characters or fewer"),
        ],
    )
    legislation = StringField(
        "Contrary to",
        description="As the contract prints it: for example, section 39 of the Criminal Justice Act 1988",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the legislation the offence is contrary to"),
            Length(max=200, message="The legislation must be 200 characters or fewer"),
        ],
    )
    legislation_cy = StringField(
        "Contrary to, in Welsh",
        description="For example, adran 39 o Ddeddf Cyfiawnder Troseddol 1988",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the legislation in Welsh"),
            Length(max=200, message="The legislation in Welsh must be 200 characters or fewer"),
        ],
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
        validators=[InputRequired("Select whether the six-month limit applies")],
    )
    gravity_base = WholeNumberField(
        "Base gravity score",
        description="1 (low) to 4 (high)",
        validators=[InputRequired("Enter a gravity score from 1 to 4")],
        noun="a gravity score from 1 to 4",
        subject="Base gravity score",
        example=2,
        minimum=1,
        maximum=4,
    )
    offence_group = SelectField(
        "Offence group",
        description="The heading reports count this offence under",
        choices=[("", "Select"), *OFFENCE_GROUPS],
        widget=GovSelect(),
        validators=[DataRequired("Select the offence group")],
    )
    flags = SelectMultipleField(
        "Flags",
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        invalid="Select flags from the list",
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
        validators=[DataRequired("Enter a code"), Length(max=20, message="Code must be 20 characters or fewer")],
    )
