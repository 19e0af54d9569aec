"""Every message a form can show is the service's own, naming the field; every hint is real.

The first test inspects every form in casework/web/forms, including those built by functions
(the checklist's sections, the assessment, the scheme settings), so a new field without its own
message fails here before anyone sees "Not a valid choice" or "This field is required".
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from types import SimpleNamespace

import pytest
import wtforms
from flask_wtf import FlaskForm
from wtforms.validators import Optional

import casework.web.forms
from casework.domain.clock import local
from casework.domain.gate_questions import SECTIONS
from casework.web.forms.assessment import domain_form, safeguarding_form
from casework.web.forms.check_ins import outcome_form
from casework.web.forms.custody import checklist_form
from casework.web.forms.fields import ForgivingDateField, ForgivingTimeField
from casework.web.forms.messages import notification_form
from casework.web.forms.panel_samples import draw_form
from casework.web.forms.report_range import range_form
from casework.web.forms.scheme import scheme_form
from tests.conftest import NOW, sign_in_quickly
from tests.form_posts import as_shown
from tests.web.forms_world import World, build, pages, post_empty, soup, summary

# Form-building functions, with the arguments that build each form they can return.
BUILDERS = {
    "checklist_form": lambda: [checklist_form(section, {}) for section in SECTIONS],
    "domain_form": lambda: [domain_form("drugs", saved=None, taken={}, version=1)],
    "safeguarding_form": lambda: [safeguarding_form(recorded={}, reviewed=False, version=1)],
    "scheme_form": lambda: [scheme_form()],
    "notification_form": lambda: [notification_form()],
    "outcome_form": lambda: [outcome_form([SimpleNamespace(id=1, position=1, wording="Do not offend again.")])],
    "range_form": lambda: [range_form({}, teams=[], every_team=True, today=NOW.date())[0]],
    "draw_form": lambda: [draw_form(None, teams=[], every_team=True, today=NOW.date())],
}
# WTForms fields whose parsing errors are the library's own words.
LIBRARY_WORDED = (wtforms.IntegerField, wtforms.DecimalField, wtforms.FloatField, wtforms.DateField)
CHOICES = (wtforms.SelectField, wtforms.RadioField, wtforms.SelectMultipleField)


def _modules():
    for info in pkgutil.iter_modules(casework.web.forms.__path__):
        yield importlib.import_module(f"casework.web.forms.{info.name}")


def _every_form() -> list[FlaskForm]:
    forms, builders = [], set()
    for module in _modules():
        for name, value in vars(module).items():
            if getattr(value, "__module__", None) != module.__name__:
                continue
            if inspect.isclass(value) and issubclass(value, FlaskForm):
                forms.append(value())
            elif inspect.isfunction(value) and name.endswith("_form"):
                builders.add(name)
    assert builders == set(BUILDERS), "a new form-building function: add it to BUILDERS"
    for builder in BUILDERS.values():
        forms.extend(builder())
    return forms


def _problems(form: FlaskForm) -> list[str]:
    problems = []
    for field in form:
        where = f"{type(form).__name__}.{field.name}"
        if isinstance(field, LIBRARY_WORDED):
            problems.append(f"{where}: {type(field).__name__} reports errors in WTForms' words")
        if isinstance(field, CHOICES) and not getattr(field, "invalid_message", None):
            problems.append(f"{where}: no message of its own for a choice that was not offered")
        for validator in field.validators:
            if isinstance(validator, Optional):
                continue
            message = getattr(validator, "message", None)
            if not (isinstance(message, str) and message.strip()):
                problems.append(f"{where}: {type(validator).__name__} has no message of its own")
    return problems


def test_every_validator_in_every_form_has_its_own_message(app):
    with app.test_request_context():
        forms = _every_form()
        problems = [problem for form in forms for problem in _problems(form)]
    assert len(forms) > 30
    assert problems == []


def test_every_date_and_time_field_carries_a_format_hint(app):
    with app.test_request_context():
        fields = [
            field
            for form in _every_form()
            for field in form
            if isinstance(field, ForgivingDateField | ForgivingTimeField)
        ]
    assert len(fields) > 15
    missing = [field.name for field in fields if "for example" not in (field.description or "").lower()]
    assert missing == []


def test_no_form_field_has_a_hint_of_none(app):
    with app.test_request_context():
        bad = [
            f"{type(form).__name__}.{field.name}"
            for form in _every_form()
            for field in form
            if field.description is None
        ]
    assert bad == []


# ---- through the pages ----------------------------------------------------------------------


@pytest.fixture
def world(session, team) -> World:
    return build(session, team)


def test_no_page_with_a_form_shows_a_hint_reading_none_or_an_empty_hint(app, session, world):
    seen = 0
    for user, paths in pages(world).items():
        client = app.test_client()
        sign_in_quickly(client, session, user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            hints = [hint.get_text(" ", strip=True) for hint in soup(response).select(".govuk-hint")]
            assert "None" not in hints and "" not in hints, path
            seen += len(hints)
    assert seen > 50


def _format_hints(client, path: str, names: list[str]) -> dict[str, str]:
    page = soup(client.get(path))
    return {name: page.select_one(f"#{name}-hint").get_text(" ", strip=True) for name in names}


def test_every_date_and_time_box_says_how_to_type_it(app, session, world):
    def hints_on(user, path, dates=(), times=()):
        client = app.test_client()
        sign_in_quickly(client, session, user)
        found = _format_hints(client, path, [*dates, *times])
        for name in dates:
            assert "For example, 27/3/2026" in found[name] or "For example, 27/3/1990" in found[name], (path, name)
        for name in times:
            assert re.search(r"For example, 9:30[ap]m or \d\d:30", found[name]), (path, name)
        return found

    draft, drafting = world.draft.id, world.drafting.id
    custody = hints_on(
        world.sergeant,
        f"/custody/cases/{draft}/custody-details",
        dates=["arrest_date", "offence_first_on", "offence_last_on"],
        times=["arrest_time"],
    )
    assert custody["offence_last_on"] == "Leave blank for a single day. For example, 27/3/2026"
    assert custody["arrest_time"] == "For example, 9:30pm or 21:30"  # the form's own, better example stays
    hints_on(
        world.sergeant,
        f"/custody/cases/{draft}/offer/accepted",
        dates=["consent_date", "appointment_date"],
        times=["consent_time", "appointment_time"],
    )
    hints_on(
        world.navigator, f"/cases/{world.referred.id}/first-contact", dates=["contact_date"], times=["contact_time"]
    )
    hints_on(world.navigator, f"/cases/{drafting}/contract/sign", dates=["signed_date"], times=["signed_time"])
    hints_on(
        world.navigator,
        f"/cases/{world.active.id}/contract/conditions/{world.hours_condition_id}/progress",
        dates=["happened_on"],
    )
    hints_on(world.navigator, f"/cases/{world.active.id}/check-ins/new", dates=["date"], times=["time"])
    moving = f"/cases/{world.active.id}/check-ins/{world.booked_check_in_id}/move"
    hints_on(world.navigator, moving, dates=["date"], times=["time"])
    outcome = f"/cases/{world.active.id}/check-ins/{world.started_check_in_id}/outcome"
    hints_on(world.navigator, outcome, dates=["next_date"], times=["next_time"])
    signing = hints_on(world.navigator, f"/cases/{drafting}/contract/sign", times=["check_in_time"])
    assert signing["check_in_time"] == "Leave as it is for 10am. For example, 9:30am or 14:30"


def _signed_in(app, session, user):
    client = app.test_client()
    sign_in_quickly(client, session, user)
    return client


def test_over_long_text_is_refused_in_the_services_own_words(app, session, world):
    supervisor = _signed_in(app, session, world.supervisor)
    data = {"name": "x" * 161, "pathway": "drugs", "phone": "0191 555 0100", "data_accepted": "Name"}
    refused = post_empty(supervisor, "/directory/new", **data)
    assert summary(refused)["name"] == "Service name must be 160 characters or fewer"

    sergeant = _signed_in(app, session, world.sergeant)
    path = f"/custody/cases/{world.draft.id}/offer/declined"
    refused = post_empty(sergeant, path, reason="other", detail="y" * 2001)
    assert summary(refused)["detail"] == "Details must be 2,000 characters or fewer"


def test_a_negative_number_is_refused_in_the_services_own_words(app, session, world):
    navigator = _signed_in(app, session, world.navigator)
    path = f"/cases/{world.active.id}/contract/conditions/{world.hours_condition_id}/progress"
    today = local(NOW).strftime("%d/%m/%Y")
    for typed in ("-3", "\u22123"):
        refused = post_empty(navigator, path, happened_on=today, amount=typed, evidence="letter")
        assert summary(refused)["amount"] == "Sessions or hours must be 1 or more"
        assert soup(refused).select_one("input#amount")["value"] == typed


def test_a_word_where_a_number_belongs_is_refused_in_the_services_own_words(app, session, world):
    admin = _signed_in(app, session, world.admin)
    page = soup(admin.get("/admin/scheme/change"))
    data = as_shown(page.select_one("main form[method=post]"))
    data.update(min_age="eighteen", weekly_check_ins="2.5", change_reason="Testing", languages=["en"])
    refused = summary(admin.post("/admin/scheme/change", data=data))
    assert refused["min_age"] == "Enter the minimum age, like 18"
    assert refused["weekly_check_ins"] == "Weekly check-ins must be a whole number, like 4"
    facts = post_empty(admin, "/admin/offences/new", gravity_base="high")
    assert summary(facts)["gravity_base"] == "Enter a gravity score from 1 to 4, like 2"


def test_a_choice_that_was_never_offered_or_not_made_gets_the_fields_own_message(app, session, world):
    supervisor = _signed_in(app, session, world.supervisor)
    path = f"/cases/{world.referred.id}/allocate"
    assert summary(post_empty(supervisor, path, navigator_id="999999"))["navigator_id"] == "Select a navigator"
    assert summary(post_empty(supervisor, path, navigator_id="me"))["navigator_id"] == "Select a navigator"
    sergeant = _signed_in(app, session, world.sergeant)
    declined = summary(post_empty(sergeant, f"/custody/cases/{world.draft.id}/offer/declined", reason="bored"))
    assert declined["reason"] == "Select why the person declined"
    assert declined["solicitor_present"] == "Select whether a solicitor was present"
