"""The case record in sections under one sub-navigation (the MoJ pattern), each with its own URL and
title: the overview with what needs doing next, needs and referrals, the contract at a glance, the
check-ins, notes, and the timeline. Every section shows the case's caption, status and deadlines.
Custody staff get only the status page.

Registered on the `cases` blueprint; every section fetches its case through `displayed_case`, so each
view is recorded as a consultation.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from casework.domain.needs import DOMAIN_LABELS
from casework.domain.roles import Action
from casework.services import (
    allocation,
    assessment,
    audit,
    case_actions,
    case_notes,
    case_record,
    case_views,
    check_ins,
    completion,
    completion_panel,
    flags,
    progress,
    prosecution,
    referrals,
    reminders,
)
from casework.services.case_record import CaseRecord
from casework.web import breach_decisions, clock
from casework.web.access import requires
from casework.web.case_display import displayed_case
from casework.web.cases import bp
from casework.web.database import db
from casework.web.forms.cases import NoteForm
from casework.web.submission import attempt

# (endpoint, label) in the order of the sub-navigation.
SECTIONS = (
    ("cases.case", "Overview"),
    ("cases.needs", "Needs and referrals"),
    ("cases.contract_summary", "Contract"),
    ("cases.check_ins", "Check-ins"),
    ("breaches.section", "Breaches"),
    ("victims.section", "Victim"),
    ("cases.notes", "Notes"),
    ("cases.timeline", "Timeline"),
)


def case_record_for(case_id: int, action: Action) -> CaseRecord:
    """The case record a section shows, loaded before `displayed_case` checks access again and
    records the consultation: the case is then already in the session, so fetching it costs nothing."""
    record = case_record.load(db(), actor=current_user, case_id=case_id, action=action, now=clock.now())
    displayed_case(case_id, action)
    return record


def _section(template: str, record: CaseRecord, **context) -> str:
    steps = case_actions.steps_for(db(), record, actor=current_user, today=clock.today())
    return render_template(template, case=record.case, record=record, steps=steps, sections=SECTIONS, **context)


@bp.get("/<int:case_id>")
@requires(Action.SEE_CASE_STATUS, team_scoped=True)
def case(case_id: int):
    if not case_views.sees_full_record(current_user):
        return render_template("cases/status.html", case=displayed_case(case_id, Action.SEE_CASE_STATUS))
    record = case_record_for(case_id, Action.VIEW_CASE)
    today, live = clock.today(), completion.open_breaches(db(), case=record.case)
    return _section(
        "cases/case.html",
        record,
        next_check_in=record.next_check_in,
        flags=flags.open_for_case(db(), case=record.case, today=today),
        completion=completion_panel.panel_for(record, actor=current_user, breaches=live, today=today),
        supervision=breach_decisions.case_panel(record, live),
        prosecution=prosecution.panel_given(
            actor=current_user, case=record.case, today=today, outcome=record.outcome, any_breach=record.any_breach
        ),
    )


@bp.get("/<int:case_id>/needs")
@requires(Action.ASSESS_NEEDS, team_scoped=True)
def needs(case_id: int):
    record = case_record_for(case_id, Action.ASSESS_NEEDS)
    return _section(
        "cases/needs.html",
        record,
        needs=assessment.summary(db(), actor=current_user, case=record.case),
        referrals=referrals.for_case(db(), case=record.case),
        domain_labels=DOMAIN_LABELS,
    )


@bp.get("/<int:case_id>/contract-summary")
@requires(Action.VIEW_CASE, team_scoped=True)
def contract_summary(case_id: int):
    record = case_record_for(case_id, Action.VIEW_CASE)
    return _section(
        "cases/contract_summary.html",
        record,
        contract=record.current,
        signed=record.signed,
        recordable=progress.recordable_in(actor=current_user, case=record.case, signed=record.signed),
    )


@bp.get("/<int:case_id>/check-ins", endpoint="check_ins")
@requires(Action.VIEW_CASE, team_scoped=True)
def check_ins_section(case_id: int):
    record, now = case_record_for(case_id, Action.VIEW_CASE), clock.now()
    schedule = check_ins.for_case(db(), case=record.case)
    return _section(
        "cases/check_ins.html",
        record,
        upcoming=[c for c in schedule if c.scheduled_at > now],
        past=[c for c in reversed(schedule) if c.scheduled_at <= now],
        to_record=[c for c in schedule if check_ins.awaiting_outcome(c, now=now)],
        may_plan=check_ins.planning_refusal(current_user, record.case) is None,
        sent=reminders.for_check_ins(db(), [c.id for c in schedule]),
        describe=reminders.describe,
        now=now,
    )


@bp.get("/<int:case_id>/notes")
@requires(Action.VIEW_CASE, team_scoped=True)
def notes(case_id: int):
    return _notes_page(case_record_for(case_id, Action.VIEW_CASE), NoteForm())


@bp.post("/<int:case_id>/notes")
@requires(Action.WRITE_CASE_NOTE, team_scoped=True)
def add_note(case_id: int):
    record = displayed_case(case_id, Action.WRITE_CASE_NOTE)
    form = NoteForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: case_notes.add_note(db(), actor=current_user, case=record, body=form.body.data, now=clock.now()),
        refusal_field="body",
        success="Note saved.",
        once=lambda _note: url_for("cases.notes", case_id=case_id),
    ):
        return redirect(url_for("cases.notes", case_id=case_id))
    return _notes_page(case_record.of(db(), case=record, now=clock.now()), form), 400


def _notes_page(record: CaseRecord, form: NoteForm) -> str:
    return _section("cases/notes.html", record, notes=case_notes.notes_for(db(), case=record.case), note_form=form)


@bp.get("/<int:case_id>/timeline")
@requires(Action.VIEW_CASE, team_scoped=True)
def timeline(case_id: int):
    record = case_record_for(case_id, Action.VIEW_CASE)
    return _section(
        "cases/timeline.html",
        record,
        history=audit.case_history(db(), case_id=record.case.id),
        allocations=allocation.history(db(), case=record.case),
        show_system=request.args.get("system") != "off",
    )
