"""Every report, its dashboard and its range errors, opened in Chromium under axe (issue 12): the
tables, the server-drawn charts and their text alternatives must pass as they are."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import Team
from casework.services import reports
from tests.browser.conftest import BROWSER_START
from tests.browser.test_journeys import _sign_in
from tests.conftest import make_case

pytestmark = pytest.mark.browser

RANGE = "first_day=1/1/2026&last_day=30/11/2026"


@pytest.fixture(scope="module")
def cases(live_server):
    """Enough cases over two months that the charts have bars and lines to draw."""
    with live_server.sessions() as session:
        team = session.query(Team).filter_by(name=live_server.team_name).one()
        for day in range(12):
            opened = BROWSER_START - timedelta(days=20 + 4 * day)
            make_case(session, team=team, state=CaseState.ACTIVE, opened_at=opened, offer_outcome="accepted")
        session.commit()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.PERFORMANCE_LEAD])
def test_every_report_opens_and_passes_axe(make_page, live_server, cases, role):
    page = make_page()
    _sign_in(page, live_server.users[role])
    team = "all" if role is Role.PERFORMANCE_LEAD else ""
    assert page.visit(f"/reports/?{RANGE}&team={team}").status == 200
    assert page.locator("svg[role=img] desc").count() >= 1
    for kind in reports.REPORTS:
        assert page.visit(f"/reports/{kind.key}?{RANGE}&team={team}").status == 200, kind.key
        assert page.locator("h1").inner_text() == kind.title


def test_the_panel_sample_pages_pass_axe_with_and_without_errors(make_page, live_server):
    page = make_page()
    _sign_in(page, live_server.users[Role.SUPERVISOR])
    page.visit("/reports/")
    page.page.get_by_role("link", name="Scrutiny panel samples").click()
    page.check()
    page.get_by_label("How many cases?").fill("many")
    page.submit("Draw the sample")
    assert page.title().startswith("Error: ")
    assert page.get_by_label("How many cases?").input_value() == "many"


def test_the_evaluator_export_page_passes_axe_with_and_without_errors(make_page, live_server):
    page = make_page()
    _sign_in(page, live_server.users[Role.PERFORMANCE_LEAD])
    page.visit("/reports/")
    page.page.get_by_role("link", name="Export for evaluators").click()
    page.check()
    assert "Data dictionary" in page.content()
    page.submit("Download the export")  # nothing filled in: errors by the fields, still accessible
    assert page.title().startswith("Error: ")


def test_a_range_that_cannot_be_used_is_shown_by_its_fields(make_page, live_server):
    page = make_page()
    _sign_in(page, live_server.users[Role.SUPERVISOR])
    page.visit("/reports/funnel")
    page.get_by_label("From", exact=True).fill("31/2/2026")
    page.get_by_label("To", exact=True).fill("1/1/2026")
    page.submit("Show figures")
    assert page.title().startswith("Error: ")
    assert page.get_by_label("From", exact=True).input_value() == "31/2/2026"
    assert "must be a real date" in page.locator(".govuk-error-summary").inner_text()


def test_choosing_an_offence_group_in_the_range_form(make_page, live_server, cases):
    page = make_page()
    _sign_in(page, live_server.users[Role.SUPERVISOR])
    page.visit(f"/reports/funnel?{RANGE}")
    page.get_by_label("Offence group").select_option(label="Violence against the person")
    page.submit("Show figures")  # the page with the group chosen passes axe too
    assert "offence_group=violence" in page.page.url
    assert "cases with an offence in the group Violence against the person" in page.content()
    assert page.visit(f"/reports/funnel?{RANGE}&offence_group=shoplifting").status == 200
    assert page.title().startswith("Error: ")
    assert "Select an offence group from the list" in page.locator(".govuk-error-summary").inner_text()
