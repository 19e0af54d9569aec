"""Forms for check-ins: adding, moving and cancelling one, what happened at it, and settling an absence.

Fields that belong to one answer only (the minutes late, the absence reason) are shown to everyone
without JavaScript, so they are required only when their answer is chosen, and the view hands the
service only the fields that apply to the answer given.
"""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation

from casework.domain.check_ins import ABSENCE_REASONS, ATTENDED, ENGAGEMENT, RECORDABLE, Mode, Outcome, RequestedBy
from casework.services.check_ins import MAX_PLACE, MAX_TEXT
from casework.web.forms.base import Form
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

MODES = [(mode.value, mode.label) for mode in Mode]
PLACE_HINT = (
    "In person: where it is held. Phone call: the number the navigator will call. "
    "Video call: how the person joins, such as a link or meeting ID."
)
REQUESTERS = [(who.value, who.label) for who in RequestedBy]
ATTENDED_VALUES = tuple(outcome.value for outcome in ATTENDED)
TEXT_LIMIT = f"must be {MAX_TEXT:,} characters or fewer"


class PlaceForMode:
    """The place is needed, and what it means depends on the mode: its message says which
    (the same words the service uses). `when`, a function of the form, limits it to some answers."""

    message = "Enter where the check-in is held, or how to join it"

    def __init__(self, mode_field: str, *, when=lambda _form: True):
        self.mode_field, self.when = mode_field, when

    def __call__(self, form, field):
        if not self.when(form) or (field.data or "").strip():
            return
        mode = form[self.mode_field].data
        raise StopValidation(Mode(mode).place_missing if mode in Mode._value2member_map_ else self.message)


def _place(label: str, mode_field: str, **kwargs) -> StringField:
    return StringField(
        label,
        description=PLACE_HINT,
        widget=GovTextInput(),
        validators=[
            PlaceForMode(mode_field, **kwargs),
            Optional(),
            Length(max=MAX_PLACE, message=f"The place must be {MAX_PLACE} characters or fewer"),
        ],
    )


def _mode() -> RadioField:
    return RadioField(
        "How will it be held?",
        choices=MODES,
        widget=GovRadioInput(),
        validators=[InputRequired("Select how the check-in will be held")],
    )


def _text(label: str, *, named: str, description: str = "", required: RequiredWhen | None = None) -> TextAreaField:
    return TextAreaField(
        label,
        description=description,
        widget=GovTextArea(),
        validators=[
            *([required] if required else []),
            Optional(),
            Length(max=MAX_TEXT, message=f"{named} {TEXT_LIMIT}"),
        ],
    )


class CheckInForm(OneTimeForm):
    date = ForgivingDateField("Date", validators=[InputRequired("Enter the date of the check-in")])
    time = ForgivingTimeField(
        "Time",
        validators=[InputRequired("Enter the time of the check-in")],
    )
    mode = _mode()
    place = _place("Where, or how to join", "mode")
    submit = SubmitField("Add the check-in", widget=GovSubmitInput())


class _WhoAndWhy(Form):
    requested_by = RadioField(
        "Who asked for the change?",
        choices=REQUESTERS,
        widget=GovRadioInput(),
        validators=[InputRequired("Select who asked for the change")],
    )
    reason = TextAreaField(
        "Why",
        widget=GovTextArea(),
        validators=[DataRequired("Say why"), Length(max=MAX_TEXT, message=f"The reason {TEXT_LIMIT}")],
    )
    version = HiddenField()


class MoveForm(_WhoAndWhy):
    date = ForgivingDateField("New date", validators=[InputRequired("Enter the new date")])
    time = ForgivingTimeField(
        "New time",
        validators=[InputRequired("Enter the new time")],
    )
    mode = _mode()
    place = _place("Where, or how to join", "mode")
    submit = SubmitField("Move the check-in", widget=GovSubmitInput())


class CancelForm(_WhoAndWhy):
    requested_by = RadioField(
        "Who asked for it to be cancelled?",
        choices=REQUESTERS,
        widget=GovRadioInput(),
        validators=[InputRequired("Select who asked for the check-in to be cancelled")],
    )
    submit = SubmitField("Cancel the check-in", widget=GovSubmitInput())


def _chosen(*values: str):
    return lambda form: form.outcome.data in values


def _booking(form) -> bool:
    """The next contact is booked when any of its answers is given."""
    return any(
        (form[name].raw_data or [""])[0].strip() for name in ("next_date", "next_time", "next_mode", "next_place")
    )


class _Absence(Form):
    absence_reason = SelectField(
        "Reason for the absence",
        choices=[("", "Select a reason"), *ABSENCE_REASONS.items()],
        widget=GovSelect(),
        validators=[
            RequiredWhen(_chosen(Outcome.ACCEPTABLE_ABSENCE.value), message="Select the reason for the absence"),
            Optional(),
        ],
        invalid="Select the reason for the absence",
    )
    absence_detail = _text(
        "Details of the reason",
        named="The detail",
        description="Needed when the reason is 'Other'.",
        required=RequiredWhen(
            lambda f: f.outcome.data == Outcome.ACCEPTABLE_ABSENCE.value and f.absence_reason.data == "other",
            message="Say what the other reason was",
        ),
    )
    evidence_seen = BooleanField(
        "Evidence seen, such as a doctor's note or an employer's letter", widget=GovCheckboxInput()
    )


class OutcomeForm(_Absence):
    outcome = RadioField(
        "What happened?",
        description=(
            "If the person did not come and gave no reason, they have 2 working days to explain. "
            "You then decide whether the absence was acceptable."
        ),
        choices=[(outcome.value, outcome.label) for outcome in RECORDABLE],
        widget=GovRadioInput(),
        validators=[InputRequired("Select what happened")],
    )
    engagement = RadioField(
        "How engaged was the person?",
        description="Answer if they attended, even late.",
        choices=[(str(score), label) for score, label in ENGAGEMENT.items()],
        coerce=int,
        widget=GovRadioInput(),
        validators=[
            RequiredWhen(_chosen(*ATTENDED_VALUES), message="Select how engaged the person was, from 1 to 5"),
            Optional(),
        ],
        invalid="Select how engaged the person was, from 1 to 5",
    )
    late_minutes = WholeNumberField(
        "How many minutes late?",
        noun="the minutes late",
        subject="Minutes late",
        example=20,
        minimum=1,
        maximum=24 * 60,
        validators=[
            RequiredWhen(
                _chosen(Outcome.LATE.value),
                message="Enter how many minutes late the person was, as a whole number",
            ),
            Optional(),
        ],
    )
    late_reason = _text(
        "Reason they gave for being late",
        named="The reason",
        required=RequiredWhen(_chosen(Outcome.LATE.value), message="Enter the reason the person gave for being late"),
    )
    service_reason = _text(
        "Why the service could not hold it",
        named="The reason",
        description="For example, the navigator was ill.",
        required=RequiredWhen(
            _chosen(Outcome.NOT_HELD_SERVICE_REASON.value),
            message="Say why the service could not hold the check-in",
        ),
    )
    note = _text("Note", named="The note")
    safeguarding_concerns = _text(
        "Safeguarding concerns raised",
        named="The concerns",
        description="Leave blank if none were raised.",
    )
    next_date = ForgivingDateField(
        "Date",
        validators=[RequiredWhen(_booking, message="Enter the date of the next contact"), Optional()],
        invalid="Date of the next contact must be a real date, for example 27/3/2026",
    )
    next_time = ForgivingTimeField(
        "Time",
        validators=[RequiredWhen(_booking, message="Enter the time of the next contact"), Optional()],
        invalid="Time of the next contact must be a real time, for example 9:30am or 14:30",
    )
    next_mode = RadioField(
        "How will it be held?",
        choices=MODES,
        widget=GovRadioInput(),
        validators=[RequiredWhen(_booking, message="Select how the next contact will be held"), Optional()],
        invalid="Select how the next contact will be held",
    )
    next_place = _place("Where, or how to join", "next_mode", when=_booking)
    version = HiddenField()
    submit = SubmitField("Save what happened", widget=GovSubmitInput())


def outcome_form(conditions, **values) -> OutcomeForm:
    """The outcome form with a progress note for each condition of the contract in force."""

    class WithConditions(OutcomeForm):
        pass

    for condition in conditions:
        setattr(
            WithConditions,
            f"condition_{condition.id}",
            _text(f"{condition.position}. {condition.wording}", named="The note"),
        )
    return WithConditions(**values)


class ClassifyForm(_Absence):
    outcome = RadioField(
        "Was the absence acceptable?",
        choices=[
            (Outcome.ACCEPTABLE_ABSENCE.value, "Yes: the person had a reasonable excuse"),
            (Outcome.UNACCEPTABLE_ABSENCE.value, "No: the absence was not acceptable"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether the absence was acceptable")],
    )
    unacceptable_reason = _text(
        "Why is it not acceptable?",
        named="The reason",
        required=RequiredWhen(
            _chosen(Outcome.UNACCEPTABLE_ABSENCE.value), message="Say why the absence is not acceptable"
        ),
    )
    version = HiddenField()
    submit = SubmitField("Save the decision", widget=GovSubmitInput())
