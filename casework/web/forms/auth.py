from __future__ import annotations

from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from casework.web.forms.base import Form
from casework.web.forms.widgets import GovPasswordInput, GovSubmitInput, GovTextInput


class SignInForm(Form):
    username = StringField("Username", widget=GovTextInput(), validators=[DataRequired("Enter your username")])
    passphrase = PasswordField(
        "Passphrase", widget=GovPasswordInput(), validators=[DataRequired("Enter your passphrase")]
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class PassphraseForm(Form):
    passphrase = PasswordField(
        "New passphrase",
        description="At least 12 characters. Three or more random words are easy to remember and hard to guess.",
        widget=GovPasswordInput(),
        validators=[
            DataRequired("Enter a new passphrase"),
            Length(max=200, message="Passphrase must be 200 characters or fewer"),
        ],
    )
    confirmation = PasswordField(
        "Type the passphrase again",
        widget=GovPasswordInput(),
        validators=[
            DataRequired("Type the passphrase again"),
            EqualTo("passphrase", "Passphrases do not match. Type the same passphrase twice"),
        ],
    )
    submit = SubmitField("Save passphrase", widget=GovSubmitInput())


class SignOutForm(Form):
    """Only the CSRF token: signing out is a POST so another site cannot sign a user out."""
