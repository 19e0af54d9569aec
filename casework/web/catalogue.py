"""The offence catalogue: what the scheme takes, from which date."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from casework.domain.offence_terms import REQUIREMENT_LABELS
from casework.domain.roles import Action
from casework.services import offence_catalogue
from casework.web import clock
from casework.web.access import requires
from casework.web.database import db
from casework.web.forms.scheme import InclusionForm, OffenceFactsForm, OffenceForm
from casework.web.submission import attempt

bp = Blueprint("catalogue", __name__, url_prefix="/admin/offences")


@bp.get("/")
@requires(Action.CONFIGURE_SCHEME)
def offences():
    rows = offence_catalogue.catalogue_with_inclusions(db(), actor=current_user, day=clock.today())
    return render_template("admin/offences.html", rows=rows)


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.CONFIGURE_SCHEME)
def new_offence():
    form = OffenceForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: offence_catalogue.add_offence(
            db(),
            actor=current_user,
            code=form.code.data,
            title=form.title.data,
            mode_of_trial=form.mode_of_trial.data,
            s127_applies=form.s127_applies.data == "yes",
            gravity_base=form.gravity_base.data,
            offence_group=form.offence_group.data,
            flags=set(form.flags.data or []),
            inclusion=form.inclusion.data,
            terms=form.terms.data or "",
            requirements=frozenset(form.requirements.data or []),
            effective_from=form.effective_from.data,
            now=clock.now(),
            wording=_wording(form),
        ),
        refusal_field="code",
        success=f"{form.title.data} added to the catalogue.",
    ):
        return redirect(url_for("catalogue.offences"))
    return render_template("admin/offence_form.html", form=form)


@bp.route("/<int:offence_id>", methods=["GET", "POST"])
@requires(Action.CONFIGURE_SCHEME)
def offence(offence_id: int):
    chosen = offence_catalogue.get_offence(db(), actor=current_user, offence_id=offence_id)
    form = InclusionForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: offence_catalogue.set_inclusion(
            db(),
            actor=current_user,
            offence=chosen,
            inclusion=form.inclusion.data,
            terms=form.terms.data or "",
            requirements=frozenset(form.requirements.data or []),
            effective_from=form.effective_from.data,
            now=clock.now(),
        ),
        refusal_field="inclusion",
        success=f"The rule for {chosen.title} has been saved.",
    ):
        return redirect(url_for("catalogue.offence", offence_id=offence_id))
    history = offence_catalogue.inclusion_history(db(), offence=chosen)
    return render_template(
        "admin/offence.html", offence=chosen, history=history, form=form, requirement_labels=REQUIREMENT_LABELS
    )


@bp.route("/<int:offence_id>/facts", methods=["GET", "POST"])
@requires(Action.CONFIGURE_SCHEME)
def offence_facts(offence_id: int):
    chosen = offence_catalogue.get_offence(db(), actor=current_user, offence_id=offence_id)
    flags = [flag for flag in offence_catalogue.OFFENCE_FLAGS if getattr(chosen, flag)]
    form = OffenceFactsForm(obj=chosen, s127_applies="yes" if chosen.s127_applies else "no", flags=flags)
    if form.validate_on_submit() and attempt(
        form,
        lambda: offence_catalogue.update_offence(
            db(),
            actor=current_user,
            offence=chosen,
            title=form.title.data,
            mode_of_trial=form.mode_of_trial.data,
            s127_applies=form.s127_applies.data == "yes",
            gravity_base=form.gravity_base.data,
            offence_group=form.offence_group.data,
            flags=set(form.flags.data or []),
            now=clock.now(),
            wording=_wording(form),
        ),
        refusal_field="title",
        success="The offence has been updated.",
    ):
        return redirect(url_for("catalogue.offence", offence_id=offence_id))
    return render_template("admin/offence_facts.html", offence=chosen, form=form)


def _wording(form: OffenceFactsForm) -> offence_catalogue.OffenceWording:
    return offence_catalogue.OffenceWording(
        title_cy=form.title_cy.data or "",
        legislation=form.legislation.data or "",
        legislation_cy=form.legislation_cy.data or "",
    )
