"""The base of every form: what no form may accept, checked once for all of them.

A post that lacks a field its page always sends is refused whole. WTForms reads a field missing from
a post as empty, or keeps the value the view started the form with. So a post of only the CSRF token
to a partner service's page kept the service's name, read the missing "In use" checkbox as unticked
and switched the service off; and a post without `version` kept the record's current version, so the
check for someone else's change always passed. Browsers always send text boxes, text areas, selects
and hidden inputs; they leave out unticked checkboxes, unanswered radios and the buttons not pressed.
A post without one of the first kind did not come from the page as it was shown, so none of it is used.

A NUL character cannot be stored in PostgreSQL text (the driver refuses the statement), and no one
types one: it comes from pasting binary junk or from a hostile request. Every field that was sent
one gets its own error instead of a server error, and the value kept for the page (and for a search
that reads the form without validating it) has it taken out.
"""

from __future__ import annotations

import re

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectMultipleField, SubmitField
from wtforms.csrf.core import CSRFTokenField

INCOMPLETE = "The form was incomplete. Nothing was saved. Try again."
NUL = "\x00"
# Not named after the field: labels are often questions or instructions ("Add a case note").
HIDDEN_CHARACTERS = "The text must not contain hidden characters. Type it again rather than pasting it"

# What a browser may leave out of a post it builds from the page.
MAY_BE_LEFT_OUT = (BooleanField, RadioField, SelectMultipleField, SubmitField, CSRFTokenField, FileField)
_WHOLE_NUMBER = re.compile(r"^\d{1,18}$")


class Form(FlaskForm):
    # Fields the page shows only in some states (so a post may lack them): set by a form that has any.
    sometimes_shown: frozenset[str] = frozenset()
    incomplete = False

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs) -> None:
        self.sent = self.meta.wrap_formdata(self, formdata)
        super().process(self.sent, obj, data, extra_filters, **kwargs)
        self._hidden_characters = []
        for field in self:
            if any(NUL in value for value in (field.raw_data or ()) if isinstance(value, str)):
                self._hidden_characters.append(field)
                field.data = _without_nul(field.data)

    def validate(self, extra_validators=None) -> bool:
        """Refused whole when incomplete: no field is checked, so no message points at a value the
        person never sent. A subclass adding checks of its own returns early when `incomplete`."""
        self.incomplete = request.method == "POST" and not self.complete()
        if self.incomplete:
            self.form_errors.append(INCOMPLETE)
            return False
        valid = super().validate(extra_validators)
        for field in self._hidden_characters:
            # The only problem worth naming: what the field's own checks say about junk is noise.
            field.errors = [HIDDEN_CHARACTERS]
        return valid and not self._hidden_characters

    def complete(self) -> bool:
        """Every field the page always sends was sent, and the record version is a whole number."""
        sent = self.sent if self.sent is not None else {}
        for field in self:
            if isinstance(field, MAY_BE_LEFT_OUT) or field.short_name in self.sometimes_shown:
                continue
            if field.name not in sent:
                return False
        version = self._fields.get("version")
        if version is None or "version" in self.sometimes_shown:
            return True
        return bool(_WHOLE_NUMBER.match(str(sent[version.name])))


def _without_nul(value):
    if isinstance(value, str):
        return value.replace(NUL, "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value
