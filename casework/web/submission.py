"""The one way a view hands a submitted form to a service: commit on success; on a refusal,
roll back and show the message by the field it belongs to, keeping everything the user typed."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash
from flask_wtf import FlaskForm

from casework.domain.errors import FieldError, IllegalTransition, StaleRecord
from casework.web.database import db


def attempt(
    form: FlaskForm,
    action: Callable[[], object],
    *,
    refusal_field: str = "version",
    success: str | None = None,
    fields: dict[str, str] | None = None,
) -> bool:
    """`refusal_field` takes a stale-record or illegal-step message, which belongs to no one field.
    `fields` maps a service's name for a field to the form's (the service's "arrested_at" is the
    form's arrest date and time); a field the form still lacks falls back to `refusal_field`."""
    try:
        action()
    except FieldError as problem:
        db().rollback()
        name = (fields or {}).get(problem.field, problem.field)
        _show(form, name if name in form else refusal_field, problem.message)
        return False
    except (StaleRecord, IllegalTransition) as refusal:
        db().rollback()
        _show(form, refusal_field, refusal.message)
        return False
    db().commit()
    if success:
        flash(success, "success")
    return True


def _show(form: FlaskForm, field_name: str, message: str) -> None:
    field = getattr(form, field_name)
    # Before validation WTForms holds errors in a tuple, after it in a list.
    field.errors = [*field.errors, message]
