from __future__ import annotations

from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from casework.domain.roles import ROLE_PRECEDENCE
from casework.web.forms.base import Form
from casework.web.forms.fields import SelectField, SelectMultipleField
from casework.web.forms.widgets import GovCheckboxesInput, GovSelect, GovSubmitInput, GovTextInput


class UserForm(Form):
    username = StringField(
        "Username",
        description="Used to sign in. Lower-case letters, numbers, full stops, hyphens or underscores.",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter a username"),
            Length(max=60, message="Username must be 60 characters or fewer"),
        ],
    )
    full_name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the person's full name"),
            Length(max=120, message="Full name must be 120 characters or fewer"),
        ],
    )
    email = StringField(
        "Work email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter a work email address"),
            Email("Enter an email address in the correct format, like name@example.police.uk"),
            Length(max=254, message="Work email address must be 254 characters or fewer"),
        ],
    )
    organisation = StringField(
        "Organisation",
        description="The employer, for example the police force or the charity that employs navigators.",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the organisation"),
            Length(max=120, message="Organisation must be 120 characters or fewer"),
        ],
    )
    # "Select a team" is the option 0: DataRequired, because 0 is an answer to InputRequired.
    team_id = SelectField("Team", coerce=int, widget=GovSelect(), validators=[DataRequired("Select a team")])
    roles = SelectMultipleField(
        "Roles",
        description="Select all that apply.",
        choices=[(role.value, role.label) for role in ROLE_PRECEDENCE],
        widget=GovCheckboxesInput(),
        validators=[DataRequired("Select at least one role")],
    )
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


class EditUserForm(UserForm):
    """The username is fixed once an account exists: the audit trail refers to it."""

    username = None


class VersionedActionForm(Form):
    """A confirmation button that carries the version the user saw; a missing or mangled one is
    refused by the service as someone else's change (see fields.submitted_version)."""

    version = HiddenField()
    submit = SubmitField("Confirm", widget=GovSubmitInput())
