"""Field types shared by several forms.

Every message a person can see is written here or in the form, naming the field: WTForms' own
("Not a valid choice", "Not a valid integer value") never reach a page. tests/web/test_form_messages.py
holds every form in casework/web/forms to that.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import wtforms
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, InputRequired, StopValidation, ValidationError

from casework.domain.dates import DateProblem, parse_date, parse_time
from casework.web.forms.widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovTextInput

DATE_EXAMPLE = "For example, 27/3/2026"
TIME_EXAMPLE = "For example, 9:30am or 14:30"


class _ForgivingField(StringField):
    """A text box that parses what people actually type (domain.dates) and, on an error, shows
    back exactly what they typed. It always carries a format hint: the form's own, if it gives
    an example, otherwise the field's standard example after whatever the form says."""

    widget = GovTextInput()
    parse = staticmethod(parse_date)
    display = "%d/%m/%Y"
    example = DATE_EXAMPLE
    kind = "date"

    def __init__(self, label=None, validators=None, *, description: str = "", invalid: str | None = None, **kwargs):
        if "for example" not in description.lower():
            description = f"{description.rstrip('.')}. {self.example}" if description else self.example
        super().__init__(label, validators, description=description, **kwargs)
        named = self.label.text.split(" (")[0]
        self.invalid_message = (
            invalid or f"{named} must be a real {self.kind}, {self.example[0].lower()}{self.example[1:]}"
        )

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if self.raw.strip():
            try:
                self.data = self.parse(self.raw)
            except DateProblem:
                raise ValueError(self.invalid_message) from None

    def _value(self) -> str:
        if getattr(self, "raw", None) is not None:
            return self.raw
        return self.data.strftime(self.display) if self.data else ""


class ForgivingDateField(_ForgivingField):
    pass


class ForgivingTimeField(_ForgivingField):
    parse = staticmethod(parse_time)
    display = "%H:%M"
    example = TIME_EXAMPLE
    kind = "time"


_WHOLE = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d*[.]\d+$")


class WholeNumberField(StringField):
    """A whole number typed into a text box, with messages that say what to type:
    "Enter a number of hours, like 18", "Hours must be 1 or more"."""

    widget = GovTextInput()

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        noun: str,
        subject: str,
        example: int,
        minimum: int,
        maximum: int,
        **kwargs,
    ):
        super().__init__(label, validators, **kwargs)
        self.not_a_number = f"Enter {noun}, like {example}"
        self.not_whole = f"{subject} must be a whole number, like {example}"
        self.too_small = f"{subject} must be {minimum:,} or more"
        self.too_large = f"{subject} must be {maximum:,} or less"
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        # A pasted minus sign (U+2212) or thousands separators are still a number.
        cleaned = self.raw.strip().replace("\u2212", "-").replace(",", "").replace(" ", "")
        if not cleaned:
            return
        if _DECIMAL.match(cleaned):
            raise ValueError(self.not_whole)
        if not _WHOLE.match(cleaned):
            raise ValueError(self.not_a_number)
        number = int(cleaned)
        if number < self.minimum:
            raise ValueError(self.too_small)
        if number > self.maximum:
            raise ValueError(self.too_large)
        self.data = number

    def process_data(self, value):
        self.data = value if isinstance(value, int) else None

    def _value(self) -> str:
        if getattr(self, "raw", None) is not None:
            return self.raw
        return str(self.data) if self.data is not None else ""


def _required_message(validators) -> str | None:
    for validator in validators or ():
        if isinstance(validator, DataRequired | InputRequired) and validator.message:
            return validator.message
    return None


class _OwnChoiceMessage:
    """A value that was never offered (a tampered or stale form) gets the field's own message:
    the `invalid` one given, or else what the field says when nothing is chosen."""

    def __init__(self, label=None, validators=None, *, invalid: str | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid or _required_message(validators)
        if not self.invalid_message:
            raise TypeError(f"{label!r}: a choice field needs invalid= or a required message of its own")

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.invalid_message) from None

    def pre_validate(self, form):
        if self.process_errors or self.data in (None, "", []):
            return  # nothing chosen: the field's required message (if any) speaks
        try:
            super().pre_validate(form)
        except ValidationError:
            raise StopValidation(self.invalid_message) from None


class SelectField(_OwnChoiceMessage, wtforms.SelectField):
    widget = GovSelect()


class RadioField(_OwnChoiceMessage, wtforms.RadioField):
    widget = GovRadioInput()


class SelectMultipleField(_OwnChoiceMessage, wtforms.SelectMultipleField):
    widget = GovCheckboxesInput()


class RequiredWhen:
    """Required only when another field has one of some values (or, with no values, any truthy
    value), or when `other`, a function of the form, says so: what a service would otherwise
    refuse later, one field at a time. Put it before Optional(), which ends the checks on an
    empty field."""

    def __init__(
        self,
        other: str | Callable[[FlaskForm], bool],
        values: tuple = (),
        *,
        message: str,
        empty: tuple = (None, "", [], False),
    ):
        self.other, self.values, self.message, self.empty = other, values, message, empty

    def __call__(self, form, field):
        if callable(self.other):
            applies = self.other(form)
        else:
            chosen = form[self.other].data
            applies = chosen in self.values if self.values else bool(chosen)
        if applies and _is_empty(field.data, self.empty) and not field.process_errors:
            raise StopValidation(self.message)


def _is_empty(value, empty: tuple) -> bool:
    # Compared by type as well: 0 == False, but a count of 0 is an answer and an unticked box is not.
    if isinstance(value, str):
        value = value.strip()
    return any(value == blank and type(value) is type(blank) for blank in empty)


def submitted_version(value) -> int:
    """The record version a form carried; -1 (never a real version) when it is missing or mangled."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
