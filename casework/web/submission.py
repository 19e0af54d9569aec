"""The one way a view hands a submitted form to a service: commit on success; on a refusal,
roll back and show the message by the field it belongs to, keeping everything the user typed.

A refusal always reaches the screen: a message for a field the form does not show (a hidden version
field, or a name the form does not have) goes to the error summary at the top of the page instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from casework.domain.errors import AlreadySent, FieldError, FieldErrors, IllegalTransition, StaleRecord
from casework.services import concurrency, submissions
from casework.web import clock
from casework.web.database import db
from casework.web.forms.one_time import OneTimeForm
from casework.web.page_errors import LinkedMessage


def attempt(
    form: FlaskForm,
    action: Callable[[], object],
    *,
    refusal_field: str | None = None,
    success: str | None = None,
    once: Callable[[Any], str] | None = None,
) -> bool:
    """`refusal_field` takes a stale-record or illegal-step message, which belongs to no one field;
    without it such a message goes to the error summary. `once` marks a create form (a OneTimeForm):
    its token is claimed before anything is written, so a second copy of the form creates nothing,
    and `once` turns what the action created into the link that second copy is shown."""
    try:
        claimed = _claim(form) if once is not None else None
        created = action()
        if claimed is not None:
            form.saved_at = once(created)
            submissions.saved(claimed, link=form.saved_at)
        db().commit()
    except FieldError as problem:
        db().rollback()
        show(form, problem.field, problem.message)
        return False
    except FieldErrors as problems:
        db().rollback()
        for problem in problems.problems:
            show(form, problem.field, problem.message)
        return False
    except AlreadySent as refusal:
        db().rollback()
        form.form_errors.append(LinkedMessage(refusal.message, refusal.link))
        return False
    except StaleRecord as refusal:
        db().rollback()
        show(form, refusal_field, concurrency.naming_who(db(), refusal))
        return False
    except IllegalTransition as refusal:
        db().rollback()
        show(form, refusal_field, refusal.message)
        return False
    except (StaleDataError, IntegrityError) as error:
        # A race the service did not anticipate: the other request won. Anything else is a bug.
        db().rollback()
        if not concurrency.is_lost_race(error):
            raise
        show(form, refusal_field, concurrency.stale_message("this record"))
        return False
    if success:
        flash(success, "success")
    return True


def _claim(form: FlaskForm):
    if not isinstance(form, OneTimeForm):
        raise TypeError(f"{type(form).__name__} carries no one-time token: make it a OneTimeForm")
    return submissions.claim(db(), token=form.sent_token(), actor=current_user, now=clock.now())


def show(form: FlaskForm, field_name: str | None, message: str) -> None:
    """Put a message by its field, or in the summary when the form has no visible field of that name."""
    field = form._fields.get(field_name) if field_name else None
    if field is None or isinstance(field, HiddenField) or field.type == "CSRFTokenField":
        form.form_errors.append(message)
        return
    # Before validation WTForms holds errors in a tuple, after it in a list.
    field.errors = [*field.errors, message]
