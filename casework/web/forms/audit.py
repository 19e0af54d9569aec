from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Optional, Regexp

from casework.web.forms.fields import ForgivingDateField


class AuditFilterForm(FlaskForm):
    """Read from the query string: filters are bookmarkable and change nothing."""

    class Meta:
        csrf = False

    username = StringField("Username", widget=GovTextInput(), validators=[Optional()])
    action = SelectField("Action", widget=GovSelect(), validate_choice=False, validators=[Optional()])
    case_id = StringField(
        "Case number",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Regexp(r"^\s*\d{1,9}\s*$", message="Enter a case number using digits only, like 1234"),
        ],
    )
    date_from = ForgivingDateField("From", description="For example, 1/11/2026", validators=[Optional()])
    date_to = ForgivingDateField("To", description="For example, 30/11/2026", validators=[Optional()])
    submit = SubmitField("Apply filters", widget=GovSubmitInput())
