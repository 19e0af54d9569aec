"""The app's clock, as views see it: one instant per request and the London date it falls on."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app, g

from casework.domain.clock import local_today


def now() -> datetime:
    """The same instant for everything one request does, so a page never straddles midnight."""
    if "casework_now" not in g:
        g.casework_now = current_app.extensions["casework.clock"].now()
    return g.casework_now


def today() -> date:
    return local_today(now())
