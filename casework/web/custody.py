"""The custody sergeant's journey: find or create the person, custody details, the checklist,
the offer and the person's answer."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from casework.domain.clock import from_local, local
from casework.domain.errors import FieldError, IllegalTransition
from casework.domain.gate_questions import SECTION_BY_SLUG, SECTIONS, Reason
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Action
from casework.services import cases, documents, people, person_search, referral_checks, schemes
from casework.services import checklist as gate_checklist
from casework.services.cases import Acceptance, CustodyDetails
from casework.services.people import Monitoring, PersonDetails
from casework.web import clock
from casework.web.access import requires
from casework.web.case_display import displayed_case
from casework.web.database import db
from casework.web.forms.custody import (
    AcceptedForm,
    CustodyDetailsForm,
    DeclinedForm,
    NotOfferedForm,
    OpenCaseForm,
    OverrideForm,
    PersonForm,
    PersonSearchForm,
    checklist_answers,
    checklist_form,
)
from casework.web.forms.fields import submitted_version
from casework.web.submission import attempt

bp = Blueprint("custody", __name__, url_prefix="/custody")


@bp.get("/people")
@requires(Action.OPEN_CASE)
def find_person():
    form = PersonSearchForm(request.args)
    found = None
    if (form.q.data or "").strip() and form.validate():
        try:
            found = person_search.search(db(), actor=current_user, text=form.q.data)
        except FieldError as problem:
            form.q.errors = [problem.message]
    return render_template("custody/find_person.html", form=form, found=found, open_form=OpenCaseForm())


@bp.route("/people/new", methods=["GET", "POST"])
@requires(Action.OPEN_CASE)
def new_person():
    form = PersonForm()
    duplicates = []
    if form.validate_on_submit():
        details = _person_details(form)
        duplicates = person_search.likely_duplicates(db(), actor=current_user, details=details)
        if (not duplicates or form.confirm_new.data) and attempt(
            form, lambda: _new_person_and_case(form, details), once=_custody_details
        ):
            return redirect(form.saved_at)
    return render_template("custody/person.html", form=form, duplicates=duplicates, open_form=OpenCaseForm(None))


@bp.post("/people/<int:person_id>/cases")
@requires(Action.OPEN_CASE)
def open_for_person(person_id: int):
    person = people.get(db(), actor=current_user, person_id=person_id)
    form = OpenCaseForm()
    active = person_search.open_cases(db(), actor=current_user, person=person)
    if active and form.confirm_second.data != "yes":
        # Starting a second case is a decision of its own: its form gets a token of its own.
        page = render_template("custody/second_case.html", person=person, active=active, form=OpenCaseForm(None))
        return page, 409
    if attempt(
        form, lambda: cases.open_case(db(), actor=current_user, person=person, now=clock.now()), once=_custody_details
    ):
        return redirect(form.saved_at)
    refusal = form.form_errors[0]
    page = render_template(
        "errors/error.html", heading="No case was opened", body=refusal, link=getattr(refusal, "href", None)
    )
    return page, 409


@bp.route("/cases/<int:case_id>/custody-details", methods=["GET", "POST"])
@requires(Action.OPEN_CASE, team_scoped=True)
def custody_details(case_id: int):
    case = displayed_case(case_id, Action.OPEN_CASE)
    form = CustodyDetailsForm(obj=case, version=case.version, offence_codes=[o.offence.code for o in case.offences])
    form.offence_codes.choices = [(o.code, o.title) for o in schemes.catalogue(db())]
    if request.method == "GET" and case.arrested_at:
        form.arrest_date.data, form.arrest_time.data = _local_parts(case.arrested_at)
    if form.validate_on_submit():
        details = CustodyDetails(
            custody_suite=form.custody_suite.data,
            crime_reference=form.crime_reference.data,
            custody_record_number=form.custody_record_number.data,
            arrested_at=from_local(form.arrest_date.data, form.arrest_time.data),
            offence_first_on=form.offence_first_on.data,
            offence_last_on=form.offence_last_on.data or form.offence_first_on.data,
            offence_codes=tuple(form.offence_codes.data),
            offence_place=form.offence_place.data,
            offence_description=form.offence_description.data,
        )
        if attempt(
            form,
            lambda: cases.record_custody_details(
                db(),
                actor=current_user,
                case=case,
                details=details,
                seen_version=submitted_version(form.version.data),
                now=clock.now(),
            ),
        ):
            return redirect(url_for("custody.checklist", case_id=case.id, section=SECTIONS[0].slug))
    return render_template("custody/custody_details.html", form=form, case=case)


@bp.route("/cases/<int:case_id>/checklist/<section>", methods=["GET", "POST"])
@requires(Action.OPEN_CASE, team_scoped=True)
def checklist(case_id: int, section: str):
    case = displayed_case(case_id, Action.OPEN_CASE)
    page = SECTION_BY_SLUG.get(section)
    if page is None:
        abort(404)
    form = checklist_form(page, case.gate_answers, formdata=request.form if request.method == "POST" else None)
    form.version.data = form.version.data or str(case.version)
    if form.validate_on_submit():
        answers = checklist_answers(form, page)
        if attempt(
            form,
            lambda: gate_checklist.answer_section(
                db(),
                actor=current_user,
                case=case,
                section=page,
                answers=answers,
                seen_version=submitted_version(form.version.data),
                now=clock.now(),
            ),
        ):
            following = SECTIONS.index(page) + 1
            if following < len(SECTIONS):
                return redirect(url_for("custody.checklist", case_id=case.id, section=SECTIONS[following].slug))
            return redirect(url_for("custody.check_answers", case_id=case.id))
    return render_template(
        "custody/checklist.html",
        form=form,
        case=case,
        section=page,
        sections=SECTIONS,
        gravity_base=gate_checklist.gravity_base(case),
    )


@bp.get("/cases/<int:case_id>/check-answers")
@requires(Action.OPEN_CASE, team_scoped=True)
def check_answers(case_id: int):
    case = displayed_case(case_id, Action.OPEN_CASE)
    return _check_answers_page(case, OverrideForm(version=case.version))


@bp.post("/cases/<int:case_id>/override")
@requires(Action.OPEN_CASE, team_scoped=True)
def override(case_id: int):
    case = displayed_case(case_id, Action.OPEN_CASE)
    form = OverrideForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: gate_checklist.override(
            db(),
            actor=current_user,
            case=case,
            rationale=form.rationale.data,
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
    ):
        return redirect(url_for("custody.accepted", case_id=case.id))
    return _check_answers_page(case, form), 400


def _check_answers_page(case, override_form: OverrideForm):
    result = gate_checklist.evaluation(db(), case=case, now=clock.now())
    return render_template(
        "custody/check_answers.html",
        case=case,
        result=result,
        override_form=override_form,
        time_barred=Reason.TIME_BARRED in {finding.reason for finding in result.findings},
        consent=referral_checks.consent_checks(db(), case=case, today=clock.today()),
        gravity_base=gate_checklist.gravity_base(case),
    )


@bp.route("/cases/<int:case_id>/offer/not-offered", methods=["GET", "POST"])
@requires(Action.OPEN_CASE, team_scoped=True)
def not_offered(case_id: int):
    case = displayed_case(case_id, Action.OPEN_CASE)
    form = NotOfferedForm(version=case.version)
    if request.method == "GET" and Reason.TIME_BARRED.value in case.reason_codes:
        form.reason.data = "time_barred"
    elif request.method == "GET" and case.provisional_eligible is False and not case.override_rationale:
        form.reason.data = "ineligible"
    if form.validate_on_submit() and attempt(
        form,
        lambda: cases.record_not_offered(
            db(),
            actor=current_user,
            case=case,
            reason=form.reason.data,
            detail=form.detail.data or "",
            alternative_outcome=form.alternative_outcome.data,
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
    ):
        return redirect(url_for("custody.outcome", case_id=case.id))
    return render_template("custody/not_offered.html", form=form, case=case)


@bp.route("/cases/<int:case_id>/offer/declined", methods=["GET", "POST"])
@requires(Action.OPEN_CASE, team_scoped=True)
def declined(case_id: int):
    case = displayed_case(case_id, Action.OPEN_CASE)
    form = DeclinedForm(version=case.version)
    if form.validate_on_submit() and attempt(
        form,
        lambda: cases.record_declined(
            db(),
            actor=current_user,
            case=case,
            reason=form.reason.data,
            detail=form.detail.data or "",
            solicitor_present=form.solicitor_present.data == "yes",
            consequences_explained=form.consequences_explained.data,
            alternative_outcome=form.alternative_outcome.data,
            seen_version=submitted_version(form.version.data),
            now=clock.now(),
        ),
    ):
        return redirect(url_for("custody.outcome", case_id=case.id))
    return render_template("custody/declined.html", form=form, case=case)


@bp.route("/cases/<int:case_id>/offer/accepted", methods=["GET", "POST"])
@requires(Action.OPEN_CASE, team_scoped=True)
def accepted(case_id: int):
    case = displayed_case(case_id, Action.OPEN_CASE)
    form = AcceptedForm(version=case.version)
    consent = referral_checks.consent_checks(db(), case=case, today=clock.today())
    form.terms_confirmed.choices = [(t.code, f"The terms for {t.title} are met") for t in consent.to_confirm]
    if form.validate_on_submit():
        acceptance = Acceptance(
            consent_at=from_local(form.consent_date.data, form.consent_time.data),
            witnessed_by=form.witnessed_by.data,
            solicitor_present=form.solicitor_present.data == "yes",
            interpreter_present=form.interpreter_present.data == "yes",
            appropriate_adult_present=form.appropriate_adult_present.data == "yes",
            first_appointment_at=from_local(form.appointment_date.data, form.appointment_time.data),
            first_appointment_place=form.appointment_place.data,
            terms_confirmed=frozenset(form.terms_confirmed.data or []),
            time_limit_risk_seen=form.time_limit_risk_seen.data,
        )
        if attempt(
            form,
            lambda: cases.record_accepted(
                db(),
                actor=current_user,
                case=case,
                acceptance=acceptance,
                seen_version=submitted_version(form.version.data),
                now=clock.now(),
            ),
        ):
            return redirect(url_for("custody.outcome", case_id=case.id))
    return render_template("custody/accepted.html", form=form, case=case, consent=consent)


@bp.get("/cases/<int:case_id>/outcome")
@requires(Action.OPEN_CASE, team_scoped=True)
def outcome(case_id: int):
    case = displayed_case(case_id, Action.OPEN_CASE)
    return render_template("custody/outcome.html", case=case, referred=case.case_state is CaseState.REFERRED)


@bp.get("/cases/<int:case_id>/offer-sheet.pdf")
@requires(Action.DOWNLOAD_OFFER_SHEET, team_scoped=True)
def offer_sheet(case_id: int):
    case = cases.require_case(db(), actor=current_user, case_id=case_id, action=Action.DOWNLOAD_OFFER_SHEET)
    try:
        document = documents.offer_sheet(db(), actor=current_user, case=case, now=clock.now())
    except IllegalTransition:
        abort(404)
    db().commit()
    response = make_response(document.pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="offer-sheet-{case.reference}.pdf"'
    return response


def _new_person_and_case(form: PersonForm, details: PersonDetails):
    monitoring = Monitoring(form.ethnicity.data, form.sex.data, form.disability.data)
    person = people.create_person(db(), actor=current_user, details=details, now=clock.now(), monitoring=monitoring)
    return cases.open_case(db(), actor=current_user, person=person, now=clock.now())


def _custody_details(case) -> str:
    return url_for("custody.custody_details", case_id=case.id)


def _person_details(form: PersonForm) -> PersonDetails:
    return PersonDetails(
        given_names=form.given_names.data,
        family_name=form.family_name.data,
        date_of_birth=form.date_of_birth.data,
        pnc_id=form.pnc_id.data or "",
        address_line_1=form.address_line_1.data,
        address_line_2=form.address_line_2.data or "",
        town=form.town.data,
        postcode=form.postcode.data,
        phone=form.phone.data or "",
        email=form.email.data or "",
        preferred_language=form.preferred_language.data,
        interpreter_needed=form.interpreter_needed.data == "yes",
        interpreter_language=form.interpreter_language.data or "",
        appropriate_adult_needed=form.appropriate_adult_needed.data == "yes",
    )


def _answer(value) -> str:
    """As the checklist stores answers: text, with a count of 0 kept as "0"."""
    return "" if value is None else str(value)


def _local_parts(moment):
    shown = local(moment)
    return shown.date(), shown.time()
