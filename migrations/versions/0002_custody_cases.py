"""custody gate, people, cases, allocation and notes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 12:01:47.708762
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("mode_of_trial", sa.String(length=20), nullable=False),
        sa.Column("s127_applies", sa.Boolean(), nullable=False),
        sa.Column("gravity_base", sa.Integer(), nullable=False),
        sa.Column("domestic_abuse", sa.Boolean(), nullable=False),
        sa.Column("hate", sa.Boolean(), nullable=False),
        sa.Column("sexual", sa.Boolean(), nullable=False),
        sa.Column("driving", sa.Boolean(), nullable=False),
        sa.Column("weapon", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "mode_of_trial IN ('summary_only', 'either_way', 'indictable_only')",
            name=op.f("ck_offences_known_mode_of_trial"),
        ),
        sa.CheckConstraint("gravity_base BETWEEN 1 AND 4", name=op.f("ck_offences_gravity_in_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offences")),
        sa.UniqueConstraint("code", name=op.f("uq_offences_code")),
    )
    op.create_table(
        "offence_inclusions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offence_id", sa.Integer(), nullable=False),
        sa.Column("inclusion", sa.String(length=30), nullable=False),
        sa.Column("terms", sa.String(length=500), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "inclusion IN ('included', 'included_with_terms', 'excluded')",
            name=op.f("ck_offence_inclusions_known_inclusion"),
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["users.id"], name=op.f("fk_offence_inclusions_changed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["offence_id"], ["offences.id"], name=op.f("fk_offence_inclusions_offence_id_offences")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offence_inclusions")),
        sa.UniqueConstraint("offence_id", "effective_from", name="one_rule_per_offence_per_day"),
    )
    with op.batch_alter_table("offence_inclusions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offence_inclusions_offence_id"), ["offence_id"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("given_names", sa.String(length=120), nullable=False),
        sa.Column("family_name", sa.String(length=120), nullable=False),
        sa.Column("family_name_folded", sa.String(length=120), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("pnc_id", sa.String(length=20), nullable=True),
        sa.Column("address_line_1", sa.String(length=120), nullable=False),
        sa.Column("address_line_2", sa.String(length=120), nullable=True),
        sa.Column("town", sa.String(length=80), nullable=False),
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("preferred_language", sa.String(length=2), nullable=False),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False),
        sa.Column("interpreter_language", sa.String(length=60), nullable=True),
        sa.Column("appropriate_adult_needed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("preferred_language IN ('en', 'cy')", name=op.f("ck_people_known_language")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_people_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_pnc_id"), ["pnc_id"], unique=False)
        batch_op.create_index("ix_people_surname_dob", ["family_name_folded", "date_of_birth"], unique=False)

    op.create_table(
        "scheme_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("change_reason", sa.String(length=500), nullable=False),
        sa.Column("scheme_name", sa.String(length=120), nullable=False),
        sa.Column("force_name", sa.String(length=120), nullable=False),
        sa.Column("areas_served", sa.String(length=300), nullable=False),
        sa.Column("min_age", sa.Integer(), nullable=False),
        sa.Column("max_offence_age_months", sa.Integer(), nullable=False),
        sa.Column("admission_rule", sa.String(length=40), nullable=False),
        sa.Column("exclude_indictable_only", sa.Boolean(), nullable=False),
        sa.Column("max_gravity_without_override", sa.Integer(), nullable=False),
        sa.Column("previous_conviction_rule", sa.String(length=30), nullable=False),
        sa.Column("previous_conviction_limit", sa.Integer(), nullable=True),
        sa.Column("previous_conviction_years", sa.Integer(), nullable=True),
        sa.Column("acceptance_step", sa.String(length=20), nullable=False),
        sa.Column("victim_views_rule", sa.String(length=30), nullable=False),
        sa.Column("contract_length_months", sa.Integer(), nullable=False),
        sa.Column("max_conditions", sa.Integer(), nullable=False),
        sa.Column("community_hours_min", sa.Integer(), nullable=False),
        sa.Column("community_hours_max", sa.Integer(), nullable=False),
        sa.Column("contract_approval_required", sa.Boolean(), nullable=False),
        sa.Column("weekly_check_ins", sa.Integer(), nullable=False),
        sa.Column("then_check_in_every_days", sa.Integer(), nullable=False),
        sa.Column("first_contact_working_days", sa.Integer(), nullable=False),
        sa.Column("warnings_before_review", sa.Integer(), nullable=False),
        sa.Column("time_limit_margin_days", sa.Integer(), nullable=False),
        sa.Column("completion_outcome_code", sa.Integer(), nullable=False),
        sa.Column("failure_route", sa.String(length=20), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("retention_years", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "acceptance_step IN ('none', 'supervisor')", name=op.f("ck_scheme_settings_known_acceptance_step")
        ),
        sa.CheckConstraint(
            "community_hours_min <= community_hours_max", name=op.f("ck_scheme_settings_hours_range_ordered")
        ),
        sa.CheckConstraint(
            "max_gravity_without_override BETWEEN 1 AND 4", name=op.f("ck_scheme_settings_gravity_in_range")
        ),
        sa.CheckConstraint("min_age >= 10", name=op.f("ck_scheme_settings_sane_min_age")),
        sa.ForeignKeyConstraint(["changed_by_id"], ["users.id"], name=op.f("fk_scheme_settings_changed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheme_settings")),
        sa.UniqueConstraint("effective_from", name="one_version_per_day"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("custody_suite", sa.String(length=120), nullable=True),
        sa.Column("crime_reference", sa.String(length=40), nullable=True),
        sa.Column("custody_record_number", sa.String(length=40), nullable=True),
        sa.Column("arrested_at", sa.DateTime(), nullable=True),
        sa.Column("offence_first_on", sa.Date(), nullable=True),
        sa.Column("offence_last_on", sa.Date(), nullable=True),
        sa.Column("gate_answers", sa.JSON(), nullable=False),
        sa.Column("provisional_eligible", sa.Boolean(), nullable=True),
        sa.Column("reason_codes", sa.JSON(), nullable=False),
        sa.Column("gravity_score", sa.Integer(), nullable=True),
        sa.Column("evaluated_at", sa.DateTime(), nullable=True),
        sa.Column("override_rationale", sa.Text(), nullable=True),
        sa.Column("overridden_by_id", sa.Integer(), nullable=True),
        sa.Column("scheme_settings_id", sa.Integer(), nullable=True),
        sa.Column("offer_outcome", sa.String(length=20), nullable=True),
        sa.Column("offer_reason", sa.String(length=40), nullable=True),
        sa.Column("offer_reason_detail", sa.Text(), nullable=True),
        sa.Column("solicitor_present", sa.Boolean(), nullable=True),
        sa.Column("consequences_explained", sa.Boolean(), nullable=True),
        sa.Column("consent_at", sa.DateTime(), nullable=True),
        sa.Column("consent_witnessed_by", sa.String(length=120), nullable=True),
        sa.Column("interpreter_present", sa.Boolean(), nullable=True),
        sa.Column("appropriate_adult_present", sa.Boolean(), nullable=True),
        sa.Column("alternative_outcome", sa.String(length=40), nullable=True),
        sa.Column("referred_at", sa.DateTime(), nullable=True),
        sa.Column("latest_charge_on", sa.Date(), nullable=True),
        sa.Column("decision_deadline_on", sa.Date(), nullable=True),
        sa.Column("first_appointment_at", sa.DateTime(), nullable=True),
        sa.Column("first_appointment_place", sa.String(length=300), nullable=True),
        sa.Column("first_contact_at", sa.DateTime(), nullable=True),
        sa.Column("accepted_by_id", sa.Integer(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("navigator_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "state IN ('active', 'assessment', 'breach_review', 'closed_alternative', 'closed_charged', 'closed_evidential', 'closed_time_barred', 'completed', 'completion_review', 'contract_awaiting_approval', 'contract_draft', 'declined', 'eligibility_draft', 'ineligible', 'pending_acceptance', 'prosecution_decision', 'referred', 'suspended', 'terminated', 'withdrawn_in_error')",
            name=op.f("ck_cases_known_state"),
        ),
        sa.CheckConstraint(
            "state IN ('declined', 'eligibility_draft', 'ineligible', 'pending_acceptance', 'withdrawn_in_error') OR referred_at IS NOT NULL",
            name=op.f("ck_cases_referred_has_time"),
        ),
        sa.CheckConstraint(
            "state IN ('declined', 'eligibility_draft', 'ineligible', 'withdrawn_in_error') OR (consent_at IS NOT NULL AND first_appointment_at IS NOT NULL)",
            name=op.f("ck_cases_offer_accepted_has_consent_and_appointment"),
        ),
        sa.CheckConstraint(
            "state NOT IN ('closed_alternative', 'closed_charged', 'closed_evidential', 'closed_time_barred', 'completed', 'declined', 'ineligible', 'withdrawn_in_error') OR closed_at IS NOT NULL",
            name=op.f("ck_cases_closed_has_time"),
        ),
        sa.CheckConstraint(
            "offence_first_on IS NULL OR offence_first_on <= offence_last_on",
            name=op.f("ck_cases_offence_dates_ordered"),
        ),
        sa.CheckConstraint(
            "override_rationale IS NULL OR overridden_by_id IS NOT NULL", name=op.f("ck_cases_override_has_author")
        ),
        sa.ForeignKeyConstraint(["accepted_by_id"], ["users.id"], name=op.f("fk_cases_accepted_by_id_users")),
        sa.ForeignKeyConstraint(["navigator_id"], ["users.id"], name=op.f("fk_cases_navigator_id_users")),
        sa.ForeignKeyConstraint(["opened_by_id"], ["users.id"], name=op.f("fk_cases_opened_by_id_users")),
        sa.ForeignKeyConstraint(["overridden_by_id"], ["users.id"], name=op.f("fk_cases_overridden_by_id_users")),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_cases_person_id_people")),
        sa.ForeignKeyConstraint(
            ["scheme_settings_id"], ["scheme_settings.id"], name=op.f("fk_cases_scheme_settings_id_scheme_settings")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_cases_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_reference")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_crime_reference"), ["crime_reference"], unique=False)
        batch_op.create_index("ix_cases_navigator_state", ["navigator_id", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_cases_team_state", ["team_id", "state"], unique=False)

    op.create_table(
        "person_monitoring",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("ethnicity", sa.String(length=40), nullable=False),
        sa.Column("sex", sa.String(length=20), nullable=False),
        sa.Column("disability", sa.String(length=20), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_person_monitoring_person_id_people")),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_person_monitoring")),
    )
    op.create_table(
        "allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("navigator_id", sa.Integer(), nullable=False),
        sa.Column("allocated_by_id", sa.Integer(), nullable=False),
        sa.Column("allocated_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["allocated_by_id"], ["users.id"], name=op.f("fk_allocations_allocated_by_id_users")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_allocations_case_id_cases")),
        sa.ForeignKeyConstraint(["navigator_id"], ["users.id"], name=op.f("fk_allocations_navigator_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocations")),
    )
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocations_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.CheckConstraint("length(body) BETWEEN 1 AND 12000", name=op.f("ck_case_notes_body_length")),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_case_notes_author_id_users")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_notes_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
    )
    with op.batch_alter_table("case_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_notes_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_offences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("offence_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_offences_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["offence_id"], ["offences.id"], name=op.f("fk_case_offences_offence_id_offences")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_offences")),
        sa.UniqueConstraint("case_id", "offence_id", name="offence_once_per_case"),
    )
    with op.batch_alter_table("case_offences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_offences_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_offences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_offences_case_id"))

    op.drop_table("case_offences")
    with op.batch_alter_table("case_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_notes_case_id"))

    op.drop_table("case_notes")
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocations_case_id"))

    op.drop_table("allocations")
    op.drop_table("person_monitoring")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_team_state")
        batch_op.drop_index(batch_op.f("ix_cases_person_id"))
        batch_op.drop_index("ix_cases_navigator_state")
        batch_op.drop_index(batch_op.f("ix_cases_crime_reference"))

    op.drop_table("cases")
    op.drop_table("scheme_settings")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index("ix_people_surname_dob")
        batch_op.drop_index(batch_op.f("ix_people_pnc_id"))

    op.drop_table("people")
    with op.batch_alter_table("offence_inclusions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offence_inclusions_offence_id"))

    op.drop_table("offence_inclusions")
    op.drop_table("offences")
