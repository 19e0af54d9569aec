from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length

from casework.domain.roles import ROLE_PRECEDENCE


class UserForm(FlaskForm):
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
            Length(max=254),
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
    team_id = SelectField("Team", coerce=int, widget=GovSelect(), validators=[InputRequired("Select a team")])
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


class VersionedActionForm(FlaskForm):
    """A confirmation button that carries the version the user saw."""

    version = IntegerField(validators=[InputRequired()])
    submit = SubmitField("Confirm", widget=GovSubmitInput())
