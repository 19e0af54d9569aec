"""The report pages (issue 12): who may open them, for which team, with which dates; what they show,
download and record in the audit trail. The figures themselves are tested in each report's
service tests; here, that the page and its CSV show the same report the service builds."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import AuditEvent, SchemeSettings
from casework.services import reports
from tests.conftest import make_case, make_user, sign_in_quickly

RANGE = {"first_day": "1/10/2026", "last_day": "31/10/2026"}
IN_RANGE = datetime(2026, 10, 12, 10, 0, tzinfo=UTC)


@pytest.fixture
def cases(session, team, other_team):
    """Six cases opened in October in our team, two in the other team's."""
    for state in [CaseState.INELIGIBLE] * 2 + [CaseState.ACTIVE] * 4:
        eligible = state != CaseState.INELIGIBLE
        make_case(session, team=team, state=state, opened_at=IN_RANGE, provisional_eligible=eligible)
    for _ in range(2):
        make_case(session, team=other_team, state=CaseState.ACTIVE, opened_at=IN_RANGE)
    session.flush()


@pytest.fixture
def threshold_one(session):
    for settings in session.scalars(select(SchemeSettings)):
        settings.suppression_threshold = 1
    session.flush()


def _signed_in(client, session, role, team):
    user = make_user(session, roles=[role], team=team)
    sign_in_quickly(client, session, user)
    return user


def _gate_started(html: str) -> str:
    marker = '<th scope="row" class="govuk-table__header">Gate started</th>'
    cell = html.split(marker, 1)[1].split("</td>", 1)[0]
    return cell.rsplit(">", 1)[1]


def test_a_supervisor_sees_their_own_teams_funnel(client, session, team, cases, threshold_one):
    _signed_in(client, session, Role.SUPERVISOR, team)
    page = client.get("/reports/funnel", query_string=RANGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert _gate_started(html) == "6"
    assert f"{team.name}, 1 October 2026 to 31 October 2026" in html
    assert 'role="img"' in html and "<desc" in html  # the chart and its text alternative


def test_a_supervisor_asking_for_another_team_is_told_it_does_not_exist(client, session, team, other_team, cases):
    _signed_in(client, session, Role.SUPERVISOR, team)
    assert client.get("/reports/funnel", query_string=dict(RANGE, team=other_team.id)).status_code == 404
    assert client.get("/reports/funnel", query_string=dict(RANGE, team="all")).status_code == 200  # own team
    assert client.get("/reports/funnel/stages.csv", query_string=dict(RANGE, team=other_team.id)).status_code == 404


def test_a_performance_lead_sees_every_team_or_any_one(client, session, team, other_team, cases, threshold_one):
    _signed_in(client, session, Role.PERFORMANCE_LEAD, other_team)
    every = client.get("/reports/funnel", query_string=dict(RANGE, team="all")).get_data(as_text=True)
    assert _gate_started(every) == "8"
    ours = client.get("/reports/funnel", query_string=dict(RANGE, team=team.id)).get_data(as_text=True)
    assert _gate_started(ours) == "6"


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.NAVIGATOR, Role.CUSTODY_SERGEANT])
def test_roles_without_reports_are_refused_every_report_page(client, session, team, cases, role):
    _signed_in(client, session, role, team)
    for path in ["/reports/", "/reports/funnel", "/reports/funnel/stages.csv"]:
        assert client.get(path, query_string=RANGE).status_code == 403, path


def test_an_administrator_who_is_also_a_performance_lead_sees_reports(client, session, team, cases):
    user = make_user(session, roles=[Role.ADMINISTRATOR, Role.PERFORMANCE_LEAD], team=team)
    sign_in_quickly(client, session, user)
    assert client.get("/reports/funnel", query_string=RANGE).status_code == 200


def test_bad_dates_are_errors_by_their_fields_keeping_what_was_typed(client, session, team, cases):
    _signed_in(client, session, Role.SUPERVISOR, team)
    html = client.get("/reports/funnel", query_string={"first_day": "31/02/2026", "last_day": "banana"}).get_data(
        as_text=True
    )
    assert "There is a problem" in html
    assert "The first day of the range must be a real date" in html
    assert "The last day of the range must be a real date" in html
    assert 'value="31/02/2026"' in html and 'value="banana"' in html
    assert "Gate started</th>" not in html
    backwards = client.get("/reports/funnel", query_string={"first_day": "2/10/2026", "last_day": "1/10/2026"})
    assert backwards.status_code == 200
    assert "The end date must be the same as or after the start date" in backwards.get_data(as_text=True)
    too_long = client.get("/reports/funnel", query_string={"first_day": "1/1/2020", "last_day": "1/1/2026"})
    assert "The range must be 5 years or shorter" in too_long.get_data(as_text=True)
    assert 'value="1/1/2020"' in too_long.get_data(as_text=True)


def test_a_team_that_is_not_a_number_is_an_error_not_a_crash(client, session, team, cases):
    _signed_in(client, session, Role.PERFORMANCE_LEAD, team)
    for hostile in ("x'; drop", "99999999999999999999"):
        page = client.get("/reports/funnel", query_string=dict(RANGE, team=hostile))
        assert page.status_code == 200
        assert "Select a team from the list" in page.get_data(as_text=True)
        assert client.get("/reports/funnel/stages.csv", query_string=dict(RANGE, team=hostile)).status_code == 404


def test_the_first_visit_shows_the_twelve_months_to_today(client, session, team, cases, threshold_one):
    _signed_in(client, session, Role.SUPERVISOR, team)
    html = client.get("/reports/funnel").get_data(as_text=True)  # the clock says 24 November 2026
    assert f"{team.name}, 1 December 2025 to 24 November 2026" in html
    assert _gate_started(html) == "6"


def test_every_report_view_and_download_is_audited(client, session, team, cases):
    user = _signed_in(client, session, Role.SUPERVISOR, team)
    client.get("/reports/", query_string=RANGE)
    client.get("/reports/funnel", query_string=RANGE)
    client.get("/reports/funnel/stages.csv", query_string=RANGE)
    events = session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.sequence))
    recorded = [(event.action, event.detail.get("report"), event.team_id) for event in events]
    assert recorded[-3:] == [
        ("report.viewed", "dashboard", team.id),
        ("report.viewed", "funnel", team.id),
        ("report.downloaded", "funnel", team.id),
    ]
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.sequence.desc()).limit(1)).one()
    assert last.detail["first_day"] == "2026-10-01" and last.detail["last_day"] == "2026-10-31"
    assert last.detail["recipient"] == "the signed-in user"


def test_the_csv_holds_what_the_page_shows(client, session, team, cases):
    _signed_in(client, session, Role.SUPERVISOR, team)
    response = client.get("/reports/funnel/stages.csv", query_string=RANGE)
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Step", "People", "Share of the step before"]
    assert rows[1] == ["Gate started", "6", ""]
    # Two ineligible and four eligible: each under the default threshold of 5, so hidden, with its share.
    assert rows[2] == ["Eligible", "[c]", "[c]"]
    assert any(row and row[0].startswith("[c] means") for row in rows)


def test_the_dashboard_shows_every_report_with_a_link(client, session, team, cases):
    _signed_in(client, session, Role.SUPERVISOR, team)
    html = client.get("/reports/", query_string=RANGE).get_data(as_text=True)
    for kind in reports.REPORTS:
        assert f'href="/reports/{kind.key}?' in html, kind.key


def test_a_performance_lead_lands_on_the_reports(client, session, team):
    _signed_in(client, session, Role.PERFORMANCE_LEAD, team)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/reports/")


def test_an_unknown_report_or_table_is_not_found(client, session, team):
    _signed_in(client, session, Role.SUPERVISOR, team)
    assert client.get("/reports/nonsense").status_code == 404
    assert client.get("/reports/funnel/nonsense.csv", query_string=RANGE).status_code == 404


def test_a_report_before_the_scheme_began_still_opens(client, session, team):
    _signed_in(client, session, Role.SUPERVISOR, team)
    page = client.get("/reports/funnel", query_string={"first_day": "1/1/2001", "last_day": "31/1/2001"})
    assert page.status_code == 200
    assert date(2001, 1, 1).strftime("%Y") in page.get_data(as_text=True)


@pytest.fixture
def grouped_cases(session, team):
    """In our team in October: g1, g2 thefts; g3 a theft and a common assault; g4 an ABH; g5 no offence yet."""
    for codes in [("THEFT-SHOP",), ("THEFT-OTHER",), ("THEFT-SHOP", "ASSAULT-COMMON"), ("ASSAULT-ABH",), ()]:
        make_case(session, team=team, state=CaseState.ACTIVE, opened_at=IN_RANGE, offence_codes=codes)
    session.flush()


def test_choosing_an_offence_group_narrows_the_funnel_and_its_csv(client, session, team, grouped_cases, threshold_one):
    _signed_in(client, session, Role.SUPERVISOR, team)
    assert _gate_started(client.get("/reports/funnel", query_string=RANGE).get_data(as_text=True)) == "5"
    theft = client.get("/reports/funnel", query_string=dict(RANGE, offence_group="theft")).get_data(as_text=True)
    assert _gate_started(theft) == "3"  # g1, g2, g3
    assert f"{team.name}, 1 October 2026 to 31 October 2026, cases with an offence in the group Theft." in theft
    page = BeautifulSoup(theft, "html.parser")
    assert page.select_one("select#offence_group option[selected]")["value"] == "theft"
    download = next(a["href"] for a in page.select("a[href*='.csv']"))
    assert "offence_group=theft" in download
    rows = list(csv.reader(io.StringIO(client.get(download).get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1] == ["Gate started", "3", ""]
    violence = client.get("/reports/funnel", query_string=dict(RANGE, offence_group="violence"))
    assert _gate_started(violence.get_data(as_text=True)) == "2"  # g3 (also counted under theft) and g4


def test_choosing_an_offence_group_is_recorded_in_the_audit(client, session, team, grouped_cases):
    user = _signed_in(client, session, Role.SUPERVISOR, team)
    client.get("/reports/funnel", query_string=dict(RANGE, offence_group="violence"))
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.sequence.desc()).limit(1)
    ).one()
    assert (event.action, event.detail["offence_group"]) == ("report.viewed", "violence")


def test_an_unknown_offence_group_is_an_error_by_its_field_keeping_what_was_typed(client, session, team, grouped_cases):
    _signed_in(client, session, Role.SUPERVISOR, team)
    response = client.get("/reports/funnel", query_string=dict(RANGE, offence_group="shoplifting"))
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "Select an offence group from the list" in page.select_one("#offence_group-error").get_text()
    assert page.select_one(".govuk-error-summary a[href='#offence_group']") is not None
    assert page.select_one("input#first_day")["value"] == "1/10/2026"
    assert page.select_one("input#last_day")["value"] == "31/10/2026"
    assert "Gate started</th>" not in str(page)


@pytest.mark.parametrize("kind", reports.REPORTS, ids=lambda kind: kind.key)
def test_every_report_opens_for_one_offence_group(client, session, team, grouped_cases, threshold_one, kind):
    _signed_in(client, session, Role.SUPERVISOR, team)
    page = client.get(f"/reports/{kind.key}", query_string=dict(RANGE, offence_group="violence"))
    assert page.status_code == 200
    assert "cases with an offence in the group Violence against the person." in page.get_data(as_text=True)
