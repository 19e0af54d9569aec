"""GOV.UK widgets, as govuk-frontend-wtf renders them, except that a field with no hint shows none.

The library gives radios and checkboxes a hint whatever the field's description: an empty hint
box (still named by aria-describedby) or, for a description of None, the word "None".
Forms import every widget from here so that they all behave the same.
"""

from __future__ import annotations

from govuk_frontend_wtf import wtforms_widgets as gov
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovPasswordInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)

__all__ = [
    "GovCharacterCount",
    "GovCheckboxInput",
    "GovCheckboxesInput",
    "GovPasswordInput",
    "GovRadioInput",
    "GovSelect",
    "GovSubmitInput",
    "GovTextArea",
    "GovTextInput",
]


class _OnlyRealHints:
    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        hint = params.get("hint") or {}
        if not (hint.get("text") or hint.get("html")):
            params.pop("hint", None)
        return params


class GovRadioInput(_OnlyRealHints, gov.GovRadioInput):
    pass


class GovCheckboxesInput(_OnlyRealHints, gov.GovCheckboxesInput):
    pass


class GovCheckboxInput(_OnlyRealHints, gov.GovCheckboxInput):
    pass
