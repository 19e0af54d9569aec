"""Forms for scrutiny panel samples: drawing one (the reports' range and team, with a size and an
optional seed) and recording the panel's rating of a sampled case."""

from __future__ import annotations

from datetime import date

from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from casework.domain.panel_scrutiny import MAX_COMMENTS, MAX_PANEL_MEMBER, MAX_SAMPLE, MAX_SEED, Rating
from casework.web.forms.fields import ForgivingDateField, RadioField, WholeNumberField
from casework.web.forms.one_time import OneTimeForm
from casework.web.forms.report_range import ReportRangeForm, team_choices
from casework.web.forms.widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput

DEFAULT_SIZE = 20


class DrawSampleForm(ReportRangeForm, OneTimeForm):
    """The reports' range form, posted: it creates a sample, so it carries CSRF and a one-time token."""

    class Meta:
        csrf = True

    first_day = ForgivingDateField(
        "Closed from",
        description="The first day a case was closed, for example 1/4/2026",
        validators=[InputRequired("Enter the first day of the range")],
        invalid="The first day of the range must be a real date, for example 1/4/2026",
    )
    last_day = ForgivingDateField(
        "Closed to",
        description="The last day, for example 30/6/2026",
        validators=[InputRequired("Enter the last day of the range")],
        invalid="The last day of the range must be a real date, for example 30/6/2026",
    )
    size = WholeNumberField(
        "How many cases?",
        description=f"Up to {MAX_SAMPLE}. If fewer cases were closed in the range, the sample has them all.",
        validators=[InputRequired("Enter how many cases to draw, like 20")],
        noun="how many cases to draw",
        subject="The number of cases",
        example=DEFAULT_SIZE,
        minimum=1,
        maximum=MAX_SAMPLE,
    )
    seed = WholeNumberField(
        "Seed (optional)",
        description="Leave this empty for a new random sample. Enter the seed of an earlier sample to draw "
        "it again from the same cases.",
        validators=[Optional()],
        noun="the seed as a whole number",
        subject="The seed",
        example=482913,
        minimum=1,
        maximum=MAX_SEED,
    )
    submit = SubmitField("Draw the sample", widget=GovSubmitInput())
    # A sample is of every closed case in the range: the reports' offence group filter is not offered.
    offence_group = None


def draw_form(formdata, *, teams, every_team: bool, today: date) -> DrawSampleForm:
    """The draw form with the teams the user may choose; on a first visit, the last three months."""
    choices = team_choices(teams, every_team=every_team)
    if formdata:
        form = DrawSampleForm(formdata)
        if "team" not in formdata and choices:
            form.team.data = choices[0][0]
    else:
        start = date(today.year, today.month - 2, 1) if today.month > 2 else date(today.year - 1, today.month + 10, 1)
        form = DrawSampleForm(
            data={"first_day": start, "last_day": today, "size": DEFAULT_SIZE, "team": choices[0][0] if choices else ""}
        )
    form.team.choices = choices
    return form


class RatingForm(OneTimeForm):
    rating = RadioField(
        "What is the panel's rating of this case?",
        choices=[(rating.value, rating.label) for rating in Rating],
        widget=GovRadioInput(),
        validators=[InputRequired("Select the panel's rating")],
        invalid="Select one of the ratings listed",
    )
    comments = TextAreaField(
        "Comments",
        description="Needed for every rating but “Appropriate”: the observations, what was inappropriate, "
        "or where the members differed.",
        widget=GovTextArea(),
        validators=[Length(max=MAX_COMMENTS, message=f"Write the comments in {MAX_COMMENTS:,} characters or fewer")],
    )
    panel_member = StringField(
        "Panel member giving the rating",
        description="Their name or role, for example Panel chair",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the name or role of the panel member giving the rating"),
            Length(max=MAX_PANEL_MEMBER, message=f"Enter the name or role in {MAX_PANEL_MEMBER} characters or fewer"),
        ],
    )
    submit = SubmitField("Record the rating", widget=GovSubmitInput())
