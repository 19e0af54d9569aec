"""The base of every form: what no field of any form may accept, checked once for all of them.

A NUL character cannot be stored in PostgreSQL text (the driver refuses the statement), and no one
types one: it comes from pasting binary junk or from a hostile request. Every field that was sent
one gets its own error instead of a server error, and the value kept for the page (and for a search
that reads the form without validating it) has it taken out.
"""

from __future__ import annotations

from flask_wtf import FlaskForm

NUL = "\x00"
# Not named after the field: labels are often questions or instructions ("Add a case note").
HIDDEN_CHARACTERS = "The text must not contain hidden characters. Type it again rather than pasting it"


class Form(FlaskForm):
    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs) -> None:
        super().process(formdata, obj, data, extra_filters, **kwargs)
        self._hidden_characters = []
        for field in self:
            if any(NUL in value for value in (field.raw_data or ()) if isinstance(value, str)):
                self._hidden_characters.append(field)
                field.data = _without_nul(field.data)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self._hidden_characters:
            # The only problem worth naming: what the field's own checks say about junk is noise.
            field.errors = [HIDDEN_CHARACTERS]
        return valid and not self._hidden_characters


def _without_nul(value):
    if isinstance(value, str):
        return value.replace(NUL, "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value
