from __future__ import annotations

import re

from wtforms import StringField, SubmitField
from wtforms.validators import Optional, Regexp

from casework.web.forms.base import Form
from casework.web.forms.fields import ForgivingDateField, SelectField
from casework.web.forms.widgets import GovSelect, GovSubmitInput, GovTextInput


class AuditFilterForm(Form):
    """Read from the query string: filters are bookmarkable and change nothing."""

    class Meta:
        csrf = False

    username = StringField("Username", widget=GovTextInput(), validators=[Optional()])
    action = SelectField(
        "Action",
        widget=GovSelect(),
        validate_choice=False,
        validators=[Optional()],
        invalid="Select an action from the list",
    )
    # Named case_id so that older bookmarks (?case_id=16) still work; a reference is what people type.
    case_id = StringField(
        "Case",
        description="A case reference, for example CP-26-000016",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Regexp(
                r"^\s*(CP-\d{2}-\d{6}|\d{1,9})\s*$",
                flags=re.IGNORECASE,
                message="Enter a case reference like CP-26-000016, or a case number using digits only",
            ),
        ],
    )
    date_from = ForgivingDateField(
        "From",
        description="For example, 1/11/2026",
        validators=[Optional()],
        invalid="Enter a real date to search from, for example 1/11/2026",
    )
    date_to = ForgivingDateField(
        "To",
        description="For example, 30/11/2026",
        validators=[Optional()],
        invalid="Enter a real date to search to, for example 30/11/2026",
    )
    submit = SubmitField("Apply filters", widget=GovSubmitInput())
