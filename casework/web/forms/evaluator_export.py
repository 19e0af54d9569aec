"""The evaluators' export: making a key, and asking for an export (range and team as every report
asks for them, then the key, who it goes to and why: what the audit trail records as a disclosure)."""

from __future__ import annotations

from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from casework.services.evaluator_export import TEXT_LIMIT
from casework.services.evaluator_export_keys import NAME_LIMIT
from casework.web.forms.base import Form
from casework.web.forms.fields import SelectField
from casework.web.forms.one_time import OneTimeForm
from casework.web.forms.report_range import ReportRangeForm
from casework.web.forms.widgets import GovSelect, GovSubmitInput, GovTextInput


class ExportKeyForm(OneTimeForm):
    name = StringField(
        "Name of the key",
        description="Name it after the evaluation it is for, for example Checkpoint 24-month follow-up",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter a name for the export key, such as the evaluation it is for"),
            Length(max=NAME_LIMIT, message=f"The key's name must be {NAME_LIMIT} characters or fewer"),
        ],
    )
    submit = SubmitField("Create the key", widget=GovSubmitInput())


class EvaluatorExportForm(Form):
    # The report pages' own range and team fields, so both ask and check the same way; this form
    # posts, with a CSRF token, because downloading an export discloses data.
    first_day = ReportRangeForm.first_day
    last_day = ReportRangeForm.last_day
    team = ReportRangeForm.team
    validate_team = ReportRangeForm.validate_team
    key = SelectField(
        "Export key",
        description="Exports made with the same key give each person the same pseudonym",
        widget=GovSelect(),
        validators=[DataRequired("Select an export key")],
        invalid="Select an export key from the list",
    )
    recipient = StringField(
        "Organisation receiving the export",
        description="As named in the data-sharing agreement",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the organisation the export is for"),
            Length(max=TEXT_LIMIT, message=f"The organisation must be {TEXT_LIMIT} characters or fewer"),
        ],
    )
    purpose = StringField(
        "Purpose",
        description="What the evaluator will use it for, for example the 24-month reoffending follow-up",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter what the export is for"),
            Length(max=TEXT_LIMIT, message=f"The purpose must be {TEXT_LIMIT} characters or fewer"),
        ],
    )
    submit = SubmitField("Download the export", widget=GovSubmitInput())
