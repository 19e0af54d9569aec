"""A form posted without the fields its page always sends is refused whole: nothing is saved, and a
missing or mangled record version never lets an edit past the check for someone else's change.

WTForms reads an absent checkbox as unticked and keeps the view's own value for an absent text
box or hidden field, so before this a post of only the CSRF token switched a partner service off,
and a post without `version` always passed the stale-edit check."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections import Counter

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

import casework.web.forms as forms_package
from casework.domain.gate_questions import SECTIONS
from casework.domain.roles import Role
from casework.models import AuditEvent, Offence, PartnerService
from casework.services.case_views import VIEWED
from casework.web.forms.base import INCOMPLETE, Form
from tests.conftest import csrf_token, make_user, sign_in_quickly
from tests.form_posts import as_shown
from tests.web.forms_world import World, build, pages, soup, summary


def _form_classes() -> list[type]:
    found = []
    for module in pkgutil.iter_modules(forms_package.__path__):
        for _, value in vars(importlib.import_module(f"{forms_package.__name__}.{module.name}")).items():
            if inspect.isclass(value) and value.__module__.startswith(forms_package.__name__):
                found.append(value)
    return found


def test_every_form_is_checked_for_completeness():
    from flask_wtf import FlaskForm

    unchecked = [c.__name__ for c in _form_classes() if issubclass(c, FlaskForm) and not issubclass(c, Form)]
    assert not unchecked, f"make these casework.web.forms.base.Form: {unchecked}"


def _changes(session) -> int:
    """Audit events other than page views: every change the service makes writes one."""
    return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action != VIEWED))


@pytest.fixture
def world(session, team) -> World:
    return build(session, team)


def _signed_in(app, session, user):
    client = app.test_client()
    sign_in_quickly(client, session, user)
    return client


def test_a_partner_service_posted_with_only_the_csrf_token_is_refused_and_stays_in_use(app, session, world):
    service = session.scalar(select(PartnerService).where(PartnerService.team_id == world.supervisor.team_id))
    supervisor = _signed_in(app, session, world.supervisor)
    path = f"/directory/{service.id}"
    before = _changes(session)
    refused = supervisor.post(path, data={"csrf_token": csrf_token(supervisor, path)})
    assert refused.status_code == 200
    assert INCOMPLETE in soup(refused).select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert soup(refused).title.get_text().startswith("Error:")
    session.expire_all()
    assert service.is_active and service.name == "Durham Recovery Hub"
    assert _changes(session) == before
    # The page as shown, posted back untouched, is complete: the unticked box is read as unticked.
    form = as_shown(soup(supervisor.get(path)).select_one("main form[method=post]"))
    assert supervisor.post(path, data=form).status_code == 302
    session.expire_all()
    assert not service.is_active


# Not a whole number: sent in turn, one to each form after the post without any version at all.
MANGLED_VERSIONS = ("", "abc", "-1", "1.0", "99999999999999999999999")


def test_every_form_with_a_version_refuses_a_post_without_a_whole_number_version(app, session, world):
    """Every form is posted without its version, and with one of the mangled versions in turn (the
    check is the base form's, so each kind of mangling needs a few forms, not all of them)."""
    checked, mangled = [], Counter()
    for user, paths in pages(world).items():
        client = _signed_in(app, session, user)
        for path in paths:
            page = soup(client.get(path))
            for form in page.select("main form[method=post]"):
                if not form.select_one("input[name=version]"):
                    continue
                shown = MultiDict(as_shown(form))
                assert re.fullmatch(r"\d+", shown["version"]), f"{path} renders version {shown['version']!r}"
                turn = MANGLED_VERSIONS[len(checked) % len(MANGLED_VERSIONS)]
                for version in (None, turn):
                    sent = shown.copy()
                    if version is None:
                        sent.pop("version")
                    else:
                        sent["version"] = version
                    before = _changes(session)
                    refused = client.post(form.get("action") or path, data=sent)
                    assert refused.status_code < 500, path
                    assert INCOMPLETE in refused.text, f"{path} accepted version {version!r}"
                    assert _changes(session) == before, path
                mangled[turn] += 1
                checked.append(path)
    assert len(checked) >= 15, checked
    assert all(mangled[version] >= 2 for version in MANGLED_VERSIONS), mangled


def test_every_form_class_with_a_version_is_refused_without_one(app):
    """The same, for every form class, including those on pages the walk above does not reach."""
    versioned = [c for c in _form_classes() if issubclass(c, Form) and getattr(c, "version", None) is not None]
    assert len(versioned) > 30
    with app.test_request_context("/", method="POST", data={"csrf_token": "x"}):
        for form_class in versioned:
            if "version" in form_class.sometimes_shown:
                continue
            form = form_class(formdata=MultiDict({"csrf_token": "x"}), meta={"csrf": False})
            assert not form.validate(), form_class.__name__
            assert INCOMPLETE in form.form_errors, form_class.__name__


def _values(world: World, session) -> list[dict[str, object]]:
    """Every case of the world at its step, with the ids the routes below it take."""
    offence = session.scalar(select(Offence).order_by(Offence.id).limit(1))
    service = session.scalar(select(PartnerService).where(PartnerService.team_id == world.supervisor.team_id))
    shared = {
        "token": "not-a-real-token",
        "user_id": world.navigator.id,
        "offence_id": offence.id,
        "service_id": service.id,
        "condition_id": world.hours_condition_id,
        "referral_id": 1,
        "breach_id": 1,
        "follow_up_id": 1,
        "domain": "drugs",
        "stage": "entry",
        "section": SECTIONS[0].slug,
        "person_id": world.draft.person_id,
        "sample_id": 1,
        "position": 1,
    }
    check_ins = [world.booked_check_in_id, world.started_check_in_id, world.missed_check_in_id]
    cases = [world.draft, world.referred, world.drafting, world.active]
    return [{**shared, "case_id": case.id, "check_in_id": check_in} for case in cases for check_in in check_ins]


# Posts that are complete with the CSRF token alone: their form is one button.
BUTTON_ONLY = {"auth.sign_out", "calendar.new_feed", "calendar.revoke_feed"}


def test_no_post_with_only_the_csrf_token_changes_anything_or_fails(app, session, world):
    everyone = make_user(session, roles=list(Role), team=world.sergeant.team)
    client = _signed_in(app, session, everyone)
    token = csrf_token(client, "/custody/people/new")
    problems, tried = [], set()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" not in rule.methods or rule.endpoint in BUTTON_ONLY | {"auth.sign_in"}:
            continue
        for values in _values(world, session):
            url = rule.build(values, append_unknown=False)[1] if rule.arguments else rule.rule
            if url in tried:
                continue
            tried.add(url)
            before = _changes(session)
            response = client.post(url, data={"csrf_token": token})
            if response.status_code >= 500:
                problems.append(f"{url}: {response.status_code}")
            elif _changes(session) != before:
                problems.append(f"{url}: saved something ({response.status_code})")
    assert len(tried) > 100
    assert not problems, "\n".join(problems)


def test_an_incomplete_form_keeps_what_was_typed(app, session, world):
    supervisor = _signed_in(app, session, world.supervisor)
    refused = supervisor.post(
        "/directory/new",
        data={"csrf_token": csrf_token(supervisor, "/directory/new"), "name": "Durham Housing Advice"},
    )
    assert summary(refused) == {}  # no field is blamed for a value that was never sent
    assert INCOMPLETE in soup(refused).select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert soup(refused).select_one("input#name")["value"] == "Durham Housing Advice"
