"""The date range, team and offence group every report page is asked for, from the query string: a
report's address can be bookmarked and shared, and choosing a range changes nothing. The offence
group is optional, so addresses bookmarked before it existed still open (every group)."""

from __future__ import annotations

from datetime import date

from wtforms import SubmitField
from wtforms.validators import InputRequired, ValidationError

from casework.domain.offence_groups import OFFENCE_GROUPS
from casework.web.forms.base import Form
from casework.web.forms.fields import ForgivingDateField, SelectField
from casework.web.forms.widgets import GovSelect, GovSubmitInput

EVERY_TEAM = "all"
EVERY_GROUP = ""
GROUP_CHOICES = [(EVERY_GROUP, "All offence groups"), *OFFENCE_GROUPS]


class ReportRangeForm(Form):
    class Meta:
        csrf = False

    first_day = ForgivingDateField(
        "From",
        description="The first day a custody gate was started, for example 1/4/2026",
        validators=[InputRequired("Enter the first day of the range")],
        invalid="The first day of the range must be a real date, for example 1/4/2026",
    )
    last_day = ForgivingDateField(
        "To",
        description="The last day, for example 31/3/2027",
        validators=[InputRequired("Enter the last day of the range")],
        invalid="The last day of the range must be a real date, for example 31/3/2027",
    )
    # Not checked against the choices here: a team number the user may not see is refused by
    # services.report_scope as if it did not exist, the same answer as for a number that names nothing.
    team = SelectField("Team", widget=GovSelect(), validate_choice=False, invalid="Select a team from the list")
    # Checked by services.report_scope, which refuses a code that is not a group, by this field.
    offence_group = SelectField(
        "Offence group",
        choices=GROUP_CHOICES,
        widget=GovSelect(),
        validate_choice=False,
        invalid="Select an offence group from the list",
    )
    submit = SubmitField("Show figures", widget=GovSubmitInput())

    def validate_team(self, field) -> None:
        # A number no team could have (over nine digits) is refused here, before any database sees it.
        value = str(field.data or "")
        if value not in ("", EVERY_TEAM) and not (value.isdigit() and len(value) <= 9):
            raise ValidationError("Select a team from the list")


def default_range(today: date) -> tuple[date, date]:
    """The twelve months to today, from the first of a month so the trend's months are whole."""
    start = date(today.year - 1, today.month + 1, 1) if today.month < 12 else date(today.year, 1, 1)
    return start, today


def team_choices(teams, *, every_team: bool) -> list[tuple[str, str]]:
    """ "Every team" first for those who may see every team, then the teams by name."""
    return [(EVERY_TEAM, "Every team")] * every_team + [(str(team.id), team.name) for team in teams]


def range_form(args, *, teams, every_team: bool, today: date) -> tuple[ReportRangeForm, bool]:
    """The form filled from the query string, or with the default range when none was given. Also
    says whether a range was asked for (and so must be checked)."""
    choices = team_choices(teams, every_team=every_team)
    asked = "first_day" in args or "last_day" in args
    if asked:
        form = ReportRangeForm(args)
        if "team" not in args and choices:
            form.team.data = choices[0][0]
    else:
        # A group chosen with no dates (a link from elsewhere) keeps the group over the default range.
        group = args.get("offence_group", EVERY_GROUP)
        start, today = default_range(today)
        form = ReportRangeForm(
            data={
                "first_day": start,
                "last_day": today,
                "team": choices[0][0] if choices else "",
                "offence_group": group,
            }
        )
    form.team.choices = choices
    return form, asked


def chosen_team(form: ReportRangeForm) -> int | None:
    """The team id chosen, or None for every team."""
    value = form.team.data
    return None if value in (None, "", EVERY_TEAM) else int(value)


def chosen_offence_group(form: ReportRangeForm) -> str | None:
    """The offence group code chosen, or None for every group."""
    value = form.offence_group.data
    return None if value in (None, EVERY_GROUP) else str(value)
