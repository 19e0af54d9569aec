"""Every route declares who may reach it. A route with no declaration is refused (and fails
tests/web/test_route_access.py), so a new page cannot be published by accident."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from casework.domain.roles import Action
from casework.services import access


@dataclass(frozen=True)
class RouteRule:
    """`action` None with `public` False means any signed-in user."""

    public: bool = False
    action: Action | None = None
    # True when the route loads an object whose team the service checks (tested per team).
    team_scoped: bool = False


def _declare(rule: RouteRule) -> Callable:
    def decorator(view: Callable) -> Callable:
        view.casework_rule = rule  # read when the blueprint registers the endpoint
        return view

    return decorator


def public(view: Callable) -> Callable:
    return _declare(RouteRule(public=True))(view)


def signed_in(view: Callable) -> Callable:
    return _declare(RouteRule())(view)


def requires(action: Action, *, team_scoped: bool = False) -> Callable:
    return _declare(RouteRule(action=action, team_scoped=team_scoped))


def collect_rules(app: Flask) -> dict[str, RouteRule]:
    """Index the declared rules by endpoint once every blueprint is registered."""
    rules = {
        endpoint: view.casework_rule for endpoint, view in app.view_functions.items() if hasattr(view, "casework_rule")
    }
    app.extensions["casework.route_rules"] = rules
    return rules


def enforce() -> object | None:
    """before_request: the role check; services add the object (team) check."""
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return None
    rule = current_app.extensions["casework.route_rules"].get(endpoint)
    if rule is None:
        abort(403)
    if rule.public:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None))
    if rule.action is not None and not access.can(current_user, rule.action):
        abort(403)
    return None
