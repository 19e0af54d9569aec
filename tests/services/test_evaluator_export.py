"""The evaluators' pseudonymised export (issue 12): every column of a small cohort against a hand count,
pseudonyms stable under a key and unrelated across keys, nothing identifying anywhere in the ZIP, the
dictionary and the columns in step, spreadsheet-safe CSV, the disclosure in the audit trail, and who
is refused."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from casework.domain.errors import FieldError, FieldErrors, NotFound, NotPermitted
from casework.domain.lifecycle import CaseState
from casework.domain.roles import Role
from casework.models import (
    AuditEvent,
    Breach,
    BreachWarning,
    CaseOffence,
    CaseOutcome,
    CheckIn,
    Condition,
    Offence,
    PersonMonitoring,
    ReoffendingFollowUp,
)
from casework.services import evaluator_export, evaluator_export_keys, report_scope
from casework.services.evaluator_columns import COLUMNS
from tests.conftest import NOW, REPORT_DAY, make_case, make_contract, make_person, make_team, make_user
from tests.statements import count_statements

# October 2026 in London (British Summer Time until 25 October): 23:30 UTC on 30 September is
# 1 October in London, and 23:30 UTC on 9 October is 10 October.
FIRST_DAY, LAST_DAY = date(2026, 10, 1), date(2026, 10, 24)
OPENED = datetime(2026, 10, 10, 10, 0, tzinfo=UTC)
ARRESTED = datetime(2026, 10, 9, 23, 30, tzinfo=UTC)
FIRST_LONDON_HOUR = datetime(2026, 9, 30, 23, 30, tzinfo=UTC)
BEFORE_THE_RANGE = datetime(2026, 9, 30, 22, 30, tzinfo=UTC)
# Free text that must never leave: each is typed somewhere on the cohort's records.
CANARIES = (
    "CANARY override rationale",
    "CANARY offer detail",
    "CANARY offence description",
    "CANARY breach summary",
    "CANARY warning reason",
    "CANARY late reason",
    "CANARY place of offence",
)


@pytest.fixture
def supervisor(session, team):
    return make_user(session, roles=[Role.SUPERVISOR], team=team)


@pytest.fixture
def lead(session, other_team):
    return make_user(session, roles=[Role.PERFORMANCE_LEAD], team=other_team)


@pytest.fixture
def key(session, supervisor):
    return evaluator_export_keys.create_key(session, actor=supervisor, name="Checkpoint evaluation", now=NOW)


@pytest.fixture
def cohort(session, team, other_team, supervisor):
    """Ann (two cases, c1 and c2), Ben (c3), and cases outside the export (c4-c6)."""
    sergeant = make_user(session, roles=[Role.CUSTODY_SERGEANT], team=team)
    ann = make_person(
        session,
        creator=sergeant,
        given_names="Zebediah",
        family_name="Quarrington",
        date_of_birth=date(1980, 6, 1),
        pnc_id="80/123456X",
    )
    session.add(
        PersonMonitoring(person_id=ann.id, ethnicity="black_caribbean", sex="male", disability="yes", recorded_at=NOW)
    )
    # c1: Ann's completed case, every column filled.
    c1 = make_case(
        session,
        team=team,
        state=CaseState.COMPLETED,
        person=ann,
        opened_at=OPENED,
        arrested_at=ARRESTED,
        consent_at=datetime(2026, 10, 10, 12, 0, tzinfo=UTC),
        first_contact_at=datetime(2026, 10, 13, 9, 0, tzinfo=UTC),
        closed_at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
        offer_outcome="accepted",
        gravity_score=2,
        custody_record_number="CRN-4471-DISTINCT",
        offence_description=CANARIES[2],
        offence_place=CANARIES[6],
    )
    offences = list(session.scalars(select(Offence).order_by(Offence.code).limit(2)))
    for offence in offences:
        session.add(CaseOffence(case_id=c1.id, offence_id=offence.id))
    # Signed on 20 October, then varied (signed again on 1 November) with a third condition.
    make_contract(
        session,
        case=c1,
        created_by=supervisor,
        status="superseded",
        signed_at=datetime(2026, 10, 20, 14, 0, tzinfo=UTC),
    )
    varied = make_contract(
        session,
        case=c1,
        created_by=supervisor,
        version_number=2,
        signed_at=datetime(2026, 11, 1, 14, 0, tzinfo=UTC),
    )
    varied.conditions.append(Condition(position=3, type="pathway", wording="See the drugs worker.", rule="whole_term"))

    def check_in(outcome, **values):
        session.add(
            CheckIn(
                case_id=c1.id,
                scheduled_at=NOW,
                mode="in_person",
                place="Hub",
                source="added",
                created_at=NOW,
                outcome=outcome,
                outcome_recorded_at=NOW if outcome else None,
                **values,
            )
        )

    check_in("attended_complied")
    check_in("late", late_minutes=10, late_reason=CANARIES[5])
    check_in("attended_not_complied")
    check_in("acceptable_absence", absence_reason="medical")
    check_in("unacceptable_absence")
    check_in("pending_explanation", explanation_due_on=NOW.date())  # awaiting: counted nowhere yet
    check_in(None)  # still to happen
    breaches = [
        Breach(case_id=c1.id, kind=kind, occurred_on=NOW.date(), summary=CANARIES[3], raised_at=NOW)
        for kind in ("unacceptable_absence", "conduct")
    ]
    session.add_all(breaches)
    session.flush()
    session.add(
        BreachWarning(
            case_id=c1.id,
            breach_id=breaches[1].id,
            level="formal",
            reason=CANARIES[4],
            issued_by_id=supervisor.id,
            issued_at=NOW,
            language="en",
        )
    )
    session.add(
        CaseOutcome(
            case_id=c1.id,
            route="completion",
            code=22,
            rationale="Completed every condition.",
            decided_by_id=supervisor.id,
            decided_at=NOW,
            effective_on=NOW.date(),
        )
    )
    for months, result in ((12, "not_reoffended"), (24, None)):
        recorded = dict(checked_on=NOW.date(), source="pnc", recorded_by_id=supervisor.id, recorded_at=NOW)
        session.add(
            ReoffendingFollowUp(
                case_id=c1.id,
                months=months,
                counted_from=date(2026, 10, 20),
                basis="contract_start",
                due_on=date(2027 + months // 24, 10, 20),
                created_at=NOW,
                result=result,
                **(recorded if result else {}),
            )
        )
    # c2: Ann again, found ineligible, overridden, then declined.
    c2 = make_case(
        session,
        team=team,
        state=CaseState.DECLINED,
        person=ann,
        opened_at=OPENED,
        provisional_eligible=False,
        reason_codes=["DENIES_OFFENCE"],
        override_rationale=CANARIES[0],
        overridden_by_id=sergeant.id,
        offer_outcome="declined",
        offer_reason="legal_advice",
        offer_reason_detail=CANARIES[1],
    )
    # c3: Ben, 25 on his London gate day (still 24 on the UTC date), never asked for monitoring.
    ben = make_person(session, creator=sergeant, given_names="Bartholomew", date_of_birth=date(2001, 10, 1))
    c3 = make_case(
        session,
        team=team,
        state=CaseState.INELIGIBLE,
        person=ben,
        opened_at=FIRST_LONDON_HOUR,
        provisional_eligible=False,
        reason_codes=["PREVIOUS_CONVICTIONS", "GRAVITY_TOO_HIGH"],
        offer_outcome="not_offered",
        offer_reason="ineligible",
    )
    make_case(session, team=other_team, state=CaseState.ACTIVE, opened_at=OPENED)  # c4: another team
    make_case(session, team=team, state=CaseState.WITHDRAWN_IN_ERROR, opened_at=OPENED)  # c5
    make_case(session, team=team, state=CaseState.ACTIVE, opened_at=BEFORE_THE_RANGE)  # c6
    session.flush()
    return {"ann": ann, "ben": ben, "c1": c1, "c2": c2, "c3": c3}


def _scope(session, actor, team_id):
    return report_scope.scope(
        session, actor=actor, first_day=FIRST_DAY, last_day=LAST_DAY, team_id=team_id, today=REPORT_DAY
    )


def _export(session, actor, key, team_id, **overrides):
    values = dict(recipient="University of Cambridge", purpose="Checkpoint 24-month evaluation") | overrides
    return evaluator_export.export(
        session, actor=actor, scope=_scope(session, actor, team_id), key_id=key.id, now=NOW, **values
    )


def _files(made) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(made.content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def _rows(made, name="cases.csv") -> list[dict[str, str]]:
    text = _files(made)[name]
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_every_column_against_a_hand_count(session, team, supervisor, key, cohort):
    made = _export(session, supervisor, key, team.id)
    rows = _rows(made)
    assert made.rows == len(rows) == 3  # c1, c2, c3 (c4 another team, c5 withdrawn in error, c6 September)
    ann = [row for row in rows if row["offer_outcome"] != "not_offered"]
    (c1,) = [row for row in ann if row["offer_outcome"] == "accepted"]
    (c2,) = [row for row in ann if row["offer_outcome"] == "declined"]
    (c3,) = [row for row in rows if row["offer_outcome"] == "not_offered"]
    titles = [o.title for o in session.scalars(select(Offence).order_by(Offence.code).limit(2))]
    modes = [o.mode_of_trial for o in session.scalars(select(Offence).order_by(Offence.code).limit(2))]
    assert c1 == {
        "person_pseudonym": c2["person_pseudonym"],  # one person, two cases
        "case_pseudonym": c1["case_pseudonym"],
        "team": "Durham test team",
        "gate_started_month": "2026-10",
        "case_state": "completed",
        "age_band": "45_54",  # 46 on 10 October 2026
        "sex": "male",
        "ethnicity": "black_caribbean",
        "ethnicity_headline_group": "black",
        "disability": "yes",
        "offence_titles": "; ".join(titles),
        "modes_of_trial": "; ".join(modes),
        "gravity_score": "2",
        "provisionally_eligible": "yes",
        "eligibility_overridden": "no",
        "ineligibility_reason_codes": "",
        "offer_outcome": "accepted",
        "offer_reason_code": "",
        "days_arrest_to_offer": "0",  # arrested 00:30 on 10 October in London, consent that noon
        "days_offer_to_first_contact": "3",  # 10 to 13 October
        "days_first_contact_to_signature": "7",  # 13 to 20 October, the first version signed
        "contract_conditions": "3",  # the variation signed on 1 November
        "contract_condition_types": "education; offending; pathway",
        "check_ins_attended": "3",  # complied, late, did not comply
        "check_ins_missed_acceptable": "1",
        "check_ins_missed_unacceptable": "1",  # the one awaiting an explanation is not counted yet
        "breaches_new_offence": "0",
        "breaches_unacceptable_absence": "1",
        "breaches_condition_not_met": "0",
        "breaches_conduct": "1",
        "breaches_withdrawal": "0",
        "warnings_formal": "1",
        "warnings_final": "0",
        "outcome_route": "completion",
        "outcome_code": "22",
        "days_gate_to_close": "41",  # 10 October to 20 November
        "reoffending_12_months": "not_reoffended",
        "reoffending_24_months": "awaiting_check",
    }
    assert {k: c2[k] for k in ("provisionally_eligible", "eligibility_overridden", "ineligibility_reason_codes")} == {
        "provisionally_eligible": "no",
        "eligibility_overridden": "yes",
        "ineligibility_reason_codes": "DENIES_OFFENCE",
    }
    assert (c2["offer_reason_code"], c2["days_arrest_to_offer"], c2["contract_conditions"]) == ("legal_advice", "", "")
    assert (c2["check_ins_attended"], c2["reoffending_12_months"], c2["offence_titles"]) == ("0", "", "")
    # Ben: 1 October in London, his 25th birthday; no monitoring asked, so blank but grouped as not stated.
    assert (c3["gate_started_month"], c3["age_band"], c3["sex"], c3["ethnicity_headline_group"]) == (
        "2026-10",
        "25_34",
        "",
        "not_stated",
    )
    assert c3["ineligibility_reason_codes"] == "PREVIOUS_CONVICTIONS; GRAVITY_TOO_HIGH"
    assert c3["person_pseudonym"] != c1["person_pseudonym"]


def test_pseudonyms_are_stable_under_one_key_and_unrelated_across_keys(session, team, supervisor, key, cohort):
    first = _rows(_export(session, supervisor, key, team.id))
    again = _rows(_export(session, supervisor, key, team.id))
    other_key = evaluator_export_keys.create_key(session, actor=supervisor, name="Another evaluation", now=NOW)
    other = _rows(_export(session, supervisor, other_key, team.id))

    def pseudonyms(rows):
        return {row["person_pseudonym"] for row in rows} | {row["case_pseudonym"] for row in rows}

    assert first == again
    assert len(pseudonyms(first)) == 5  # two people, three cases
    assert pseudonyms(first).isdisjoint(pseudonyms(other))
    assert all(p.startswith(("P-", "C-")) and len(p) == 18 for p in pseudonyms(first))


def test_nothing_identifying_is_anywhere_in_the_zip(session, team, supervisor, key, cohort):
    made = _export(session, supervisor, key, team.id)
    everything = "\n".join(_files(made).values()) + made.filename
    identifying = list(CANARIES)
    for person in (cohort["ann"], cohort["ben"]):
        born = person.date_of_birth
        identifying += [person.given_names, person.family_name, person.address_line_1, person.postcode]
        identifying += [born.isoformat(), f"{born:%d/%m/%Y}", f"{born.day}/{born.month}/{born.year}"]
    identifying.append(cohort["ann"].pnc_id)
    for case in (cohort["c1"], cohort["c2"], cohort["c3"]):
        identifying += [case.reference, case.crime_reference]
    identifying.append("CRN-4471-DISTINCT")
    found = [value for value in identifying if value and value.lower() in everything.lower()]
    assert found == []
    # Nor the ids behind the pseudonyms, nor the key's secret.
    assert key.secret.lower() not in everything.lower()
    assert "2026-10-10" not in everything and "10/10/2026" not in everything  # no day, only the month


def test_the_dictionary_describes_exactly_the_columns(session, team, supervisor, key, cohort):
    made = _export(session, supervisor, key, team.id)
    files = _files(made)
    assert set(files) == {"README.txt", "cases.csv", "data_dictionary.csv"}
    header = next(csv.reader(io.StringIO(files["cases.csv"].removeprefix("\ufeff"))))
    dictionary = _rows(made, "data_dictionary.csv")
    assert [entry["column"] for entry in dictionary] == header == [column.name for column in COLUMNS]
    assert all(entry["meaning"] and entry["values_or_units"] and entry["source"] for entry in dictionary)
    readme = files["README.txt"]
    for said in ("Checkpoint evaluation", "01 October 2026", "24 October 2026", "Durham test team", "Rows (cases): 3"):
        assert said in readme
    assert "pseudonymised" in readme and "data-sharing agreement" in readme


def test_a_cell_a_spreadsheet_would_run_is_made_inert(session, lead, key):
    hostile = make_team(session, name='=HYPERLINK("http://evil.example")')
    make_case(session, team=hostile, state=CaseState.ACTIVE, opened_at=OPENED)
    session.flush()
    rows = _rows(_export(session, lead, key, hostile.id))
    assert rows[0]["team"] == '\'=HYPERLINK("http://evil.example")'


def test_the_export_is_audited_as_a_disclosure_to_its_recipient(session, team, supervisor, key, cohort):
    _export(session, supervisor, key, team.id)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "evaluator_export.downloaded")).one()
    assert event.actor_id == supervisor.id and event.team_id == team.id
    assert event.detail == {
        "recipient": "University of Cambridge",
        "purpose": "Checkpoint 24-month evaluation",
        "key": "Checkpoint evaluation",
        "rows": 3,
        "first_day": "2026-10-01",
        "last_day": "2026-10-24",
        "team": "Durham test team",
    }


def test_a_performance_lead_exports_every_team_together(session, team, lead, key, cohort):
    rows = _rows(_export(session, lead, key, None))
    assert sorted(row["team"] for row in rows) == ["Darlington test team"] + ["Durham test team"] * 3  # and c4


@pytest.mark.parametrize("role", [Role.NAVIGATOR, Role.ADMINISTRATOR, Role.CUSTODY_SERGEANT])
def test_roles_without_the_export_are_refused(session, team, key, cohort, role):
    user = make_user(session, roles=[role], team=team)
    with pytest.raises(NotPermitted):
        _export(session, user, key, team.id)
    with pytest.raises(NotPermitted):
        evaluator_export_keys.create_key(session, actor=user, name="Mine", now=NOW)


def test_another_teams_supervisor_is_told_the_team_does_not_exist(session, team, other_team, key, cohort):
    theirs = make_user(session, roles=[Role.SUPERVISOR], team=other_team)
    with pytest.raises(NotFound):
        _export(session, theirs, key, team.id)


def test_each_missing_detail_is_named_by_its_field(session, team, supervisor, cohort):
    scope = _scope(session, supervisor, team.id)
    with pytest.raises(FieldErrors) as refused:
        evaluator_export.export(session, actor=supervisor, scope=scope, key_id=None, recipient=" ", purpose="", now=NOW)
    assert {problem.field for problem in refused.value.problems} == {"key", "recipient", "purpose"}
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "evaluator_export.downloaded")).all() == []


def test_a_key_name_is_needed_and_used_once(session, supervisor, key):
    for name in ("  ", "checkpoint   EVALUATION"):
        with pytest.raises(FieldError) as refused:
            evaluator_export_keys.create_key(session, actor=supervisor, name=name, now=NOW)
        assert refused.value.field == "name"
    assert "secret" not in repr(key) and key.secret not in repr(key)


def test_the_export_takes_the_same_few_queries_however_many_cases(session, team, supervisor, key, cohort):
    scope = _scope(session, supervisor, team.id)

    def run():
        evaluator_export.case_facts(session, scope, key.secret)

    before = count_statements(session, run)
    for _ in range(10):
        made = make_case(session, team=team, state=CaseState.ACTIVE, opened_at=OPENED, first_contact_at=OPENED)
        make_contract(session, case=made, created_by=supervisor)
    session.flush()
    assert count_statements(session, run) == before <= 7
    assert len(evaluator_export.case_facts(session, scope, key.secret)) == 13
