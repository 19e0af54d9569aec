"""The prosecution decision on a terminated case, the "recorded on force system" confirmation of
any outcome, the breach file and the decision letter; the case page's panel and the supervisor
home's time-barred figure (template globals, so the pages that include them need no change)."""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from casework.domain.errors import NotFound
from casework.domain.outcome_codes import Route
from casework.domain.prosecution import DECISION_ROUTES
from casework.domain.roles import Action
from casework.services import breach_file, case_outcomes, cases, decision_letters, prosecution
from casework.web import clock
from casework.web.access import requires
from casework.web.case_display import displayed_case
from casework.web.database import db, write_from_here
from casework.web.forms.fields import submitted_version
from casework.web.forms.prosecution import DecisionForm, ForceRecordForm
from casework.web.submission import attempt

bp = Blueprint("prosecution", __name__, url_prefix="/cases")

# The form field holding the code for a route that has several in force.
CODE_FIELD = {
    Route.ALTERNATIVE: "alternative_code",
    Route.NO_FURTHER_ACTION: "nfa_code",
    Route.EVIDENTIAL: "evidential_code",
}


@bp.route("/<int:case_id>/prosecution-decision", methods=["GET", "POST"])
@requires(Action.RECORD_PROSECUTION_DECISION, team_scoped=True)
def decision(case_id: int):
    case = displayed_case(case_id, Action.RECORD_PROSECUTION_DECISION)
    refusal = prosecution.refusal(current_user, case)
    offered = prosecution.choices(db(), case=case, today=clock.today())
    form = DecisionForm(version=case.version)
    _offer(form, offered)
    # A form sent after someone else decided still goes to the service, which names who did.
    if form.validate_on_submit():
        route = Route(form.route.data)
        field = CODE_FIELD.get(route)
        if attempt(
            form,
            lambda: prosecution.record_decision(
                db(),
                actor=current_user,
                case=case,
                route=route.value,
                code=form[field].data if field else None,
                rationale=form.rationale.data or "",
                charge_wording=form.charge_wording.data or "",
                charged_on=form.charged_on.data,
                court_date=form.court_date.data,
                seen_version=submitted_version(form.version.data),
                now=clock.now(),
            ),
            refusal_field="route",
            success=f"Prosecution decision recorded. Case {case.reference} is closed.",
        ):
            return redirect(url_for("cases.case", case_id=case.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("prosecution/decision.html", case=case, form=form, refusal=refusal, offered=offered), status


def _offer(form: DecisionForm, offered: prosecution.DecisionChoices) -> None:
    """Every route is offered, those the time limit rules out marked so: choosing one is refused
    with the reason by the field, rather than the option silently missing."""
    form.route.choices = [
        (route.value, _route_label(route, offered)) for route in DECISION_ROUTES if offered.codes[route]
    ]
    for route, name in CODE_FIELD.items():
        form[name].choices = [(row.code, f"Outcome {row.code}: {row.label}") for row in offered.codes[route]]


def _route_label(route: Route, offered: prosecution.DecisionChoices) -> str:
    label = route.label
    codes = offered.codes[route]
    if len(codes) == 1:
        label = f"{label} (Outcome {codes[0].code})"
    if route is offered.usual_route:
        label = f"{label}: this scheme's usual route when a contract fails"
    if route in offered.barred:
        label = f"{label}: not available, see below"
    return label


@bp.route("/<int:case_id>/outcome/force-record", methods=["GET", "POST"])
@requires(Action.RECORD_PROSECUTION_DECISION, team_scoped=True)
def force_record(case_id: int):
    case = displayed_case(case_id, Action.RECORD_PROSECUTION_DECISION)
    outcome = case_outcomes.outcome_for(db(), case=case)
    if outcome is None:
        raise NotFound("This case has no outcome to confirm.")
    form = ForceRecordForm()
    # A second confirmation is sent to the service, which refuses it naming who confirmed first.
    if form.validate_on_submit() and attempt(
        form,
        lambda: case_outcomes.confirm_force_record(
            db(),
            actor=current_user,
            case=case,
            force_reference=form.force_reference.data or "",
            confirmed=bool(form.confirmed.data),
            now=clock.now(),
        ),
        success=f"Outcome {outcome.code} is confirmed as recorded on the force's systems.",
    ):
        return redirect(url_for("cases.case", case_id=case.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("prosecution/force_record.html", case=case, outcome=outcome, form=form), status


@bp.get("/<int:case_id>/breach-file.pdf")
@requires(Action.DOWNLOAD_BREACH_FILE, team_scoped=True)
def breach_file_pdf(case_id: int):
    case = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.DOWNLOAD_BREACH_FILE)
    if not prosecution.breach_file_available(db(), case=case):
        raise NotFound("There is no breach file for this case: no breach has been raised.")
    letter = breach_file.download(write_from_here(), actor=current_user, case=case, now=clock.now())
    db().commit()
    return _pdf(letter.pdf, f"breach-file-{case.reference}.pdf")


@bp.get("/<int:case_id>/decision-letter.pdf")
@requires(Action.SEE_CASE_STATUS, team_scoped=True)
def decision_letter_pdf(case_id: int):
    case = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.SEE_CASE_STATUS)
    letter = decision_letters.download(
        write_from_here(), actor=current_user, case=case, language=request.args.get("lang"), now=clock.now()
    )
    db().commit()
    return _pdf(letter.pdf, f"decision-letter-{case.reference}-{letter.language}.pdf")


def _pdf(content: bytes, filename: str):
    response = make_response(content)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.app_template_global("prosecution_panel")
def panel(case):
    """The case page's prosecution decision panel for the signed-in reader (None: nothing to show)."""
    return prosecution.panel(db(), actor=current_user, case=case, today=clock.today())


@bp.app_template_global("time_barred_figures")
def time_barred_figures():
    return case_outcomes.time_barred_figures(db(), actor=current_user, today=clock.today())
