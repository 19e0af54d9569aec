"""Forms for the needs assessment journey: start, one domain's page, the safeguarding flags, complete.

The domain and safeguarding forms check themselves with the same rules the service applies
(domain/needs.py), so a page reports every problem at once rather than one after another.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, SubmitField, TextAreaField

from casework.domain import needs
from casework.domain.needs import DomainInput, Safeguarding, SafeguardingInput
from casework.web.forms.base import Form
from casework.web.forms.fields import RadioField
from casework.web.forms.widgets import (
    GovCharacterCount,
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)

YES_NO = {"yes": True, "no": False}


class StartAssessmentForm(Form):
    submit = SubmitField("Start the assessment", widget=GovSubmitInput())


class CompleteAssessmentForm(Form):
    version = HiddenField()
    submit = SubmitField("Complete the assessment", widget=GovSubmitInput())


def _whole_number(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def _report(form: FlaskForm, problems: list[tuple[str, str]]) -> bool:
    for field, message in problems:
        form[field].errors = [*form[field].errors, message]
    return not problems


class DomainForm(Form):
    """One need domain (DOMAIN.md §4.2); `domain` and `taken` are set by `domain_form`."""

    need_level = RadioField(
        "Level of need",
        choices=[(str(v), text) for v, text in needs.NEED_LEVELS],
        widget=GovRadioInput(),
        invalid="Select a level of need from the list",
    )
    linked_to_offending = RadioField(
        "Is this linked to the offending?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=GovRadioInput(),
        invalid="Select yes or no",
    )
    person_priority = StringField("The person's own priority (optional)", widget=GovTextInput())
    strengths = TextAreaField("Strengths (optional)", widget=GovCharacterCount())
    notes = TextAreaField("Notes (optional)", widget=GovCharacterCount())
    consent_to_refer = BooleanField("The person consents to a referral for this", widget=GovCheckboxInput())
    version = HiddenField()
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    domain: str
    taken: dict[int, str]

    def answers(self) -> DomainInput:
        level = self.need_level.data
        return DomainInput(
            domain=self.domain,
            need_level=int(level) if level in ("0", "1", "2", "3") else None,
            linked_to_offending=YES_NO.get(self.linked_to_offending.data or ""),
            person_priority=_whole_number(self.person_priority.data),
            strengths=self.strengths.data or "",
            notes=self.notes.data or "",
            consent_to_refer=bool(self.consent_to_refer.data),
        )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        problems = needs.domain_problems(self.answers(), taken=self.taken)
        typed = (self.person_priority.data or "").strip()
        if typed and _whole_number(typed) is None:
            problems.append(("person_priority", f"Enter a number from 1 to {needs.HIGHEST_PRIORITY}"))
        return _report(self, problems) and valid


def domain_form(domain: str, *, saved: Any | None, taken: dict[int, str], version: int) -> DomainForm:
    """The page for one domain, showing what was saved for it before (if anything)."""
    data: dict[str, Any] = {"version": str(version)}
    if saved is not None:
        data.update(
            need_level=str(saved.need_level),
            linked_to_offending="yes" if saved.linked_to_offending else "no",
            person_priority=str(saved.person_priority or ""),
            strengths=saved.strengths or "",
            notes=saved.notes or "",
            consent_to_refer=saved.consent_to_refer,
        )
    form = DomainForm(data=data)
    form.domain, form.taken = domain, taken
    for field in (form.need_level, form.linked_to_offending):
        field.validate_choice = False  # an unanswered question is reported by the rules, in words
    return form


class SafeguardingForm(Form):
    """Each flag (DOMAIN.md §4.1) is a checkbox with the action taken beside it (added below)."""

    no_concerns = BooleanField("There are no safeguarding or risk concerns", widget=GovCheckboxInput())
    version = HiddenField()
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def answers(self) -> SafeguardingInput:
        return SafeguardingInput(
            ticked=frozenset(flag for flag in Safeguarding if self[f"flag-{flag.value}"].data),
            actions={flag: self[f"flag-{flag.value}-action"].data or "" for flag in Safeguarding},
            no_concerns=bool(self.no_concerns.data),
        )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return _report(self, needs.safeguarding_problems(self.answers())) and valid


for _flag in Safeguarding:
    setattr(SafeguardingForm, f"flag-{_flag.value}", BooleanField(_flag.label, widget=GovCheckboxInput()))
    setattr(
        SafeguardingForm,
        f"flag-{_flag.value}-action",
        TextAreaField(f"Action taken for: {_flag.label.lower()}", widget=GovCharacterCount()),
    )


def safeguarding_form(*, recorded: dict[str, str], reviewed: bool, version: int) -> SafeguardingForm:
    """`recorded` maps each flag saved before to its action; `reviewed` says the page was saved."""
    data: dict[str, Any] = {"version": str(version), "no_concerns": reviewed and not recorded}
    for flag, action in recorded.items():
        data[f"flag-{flag}"], data[f"flag-{flag}-action"] = True, action
    return SafeguardingForm(data=data)
