"""Durham Checkpoint's scheme settings and a starting offence catalogue

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

Reference data, frozen here as it stood when first installed; administrators change it through
the product afterwards (each change is a new effective-dated row, never an edit of these).
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INSTALLED_AT = datetime(2026, 11, 24, tzinfo=UTC).replace(tzinfo=None)
SCHEME_START = date(2015, 4, 1)

# code, title, mode of trial, s.127 applies, gravity, flags, inclusion history [(from, inclusion, terms)]
OFFENCES = [
    (
        "DRUG-POSS-A",
        "Possession of a controlled drug, Class A",
        "either_way",
        False,
        2,
        (),
        [(SCHEME_START, "included", None)],
    ),
    (
        "DRUG-POSS-B",
        "Possession of a controlled drug, Class B",
        "either_way",
        False,
        1,
        (),
        [(SCHEME_START, "included", None)],
    ),
    (
        "DRUG-POSS-C",
        "Possession of a controlled drug, Class C",
        "either_way",
        False,
        1,
        (),
        [(SCHEME_START, "included", None)],
    ),
    (
        "DRUG-SUPPLY-LOW",
        "Being concerned in the supply of a controlled drug (low level, social supply)",
        "either_way",
        False,
        3,
        (),
        [(SCHEME_START, "included_with_terms", "Social supply only, no commercial element")],
    ),
    ("THEFT-SHOP", "Theft from a shop", "either_way", False, 1, (), [(SCHEME_START, "included", None)]),
    ("THEFT-OTHER", "Theft (other than from a shop)", "either_way", False, 2, (), [(SCHEME_START, "included", None)]),
    (
        "BURGLARY-DWELLING",
        "Burglary of a dwelling",
        "either_way",
        False,
        3,
        (),
        [(SCHEME_START, "included_with_terms", "Supervisor agreement and victim engagement required")],
    ),
    (
        "BURGLARY-OTHER",
        "Burglary of a building other than a dwelling",
        "either_way",
        False,
        2,
        (),
        [(SCHEME_START, "included", None)],
    ),
    (
        "CRIM-DAMAGE",
        "Criminal damage (value £5,000 or less)",
        "either_way",
        False,
        1,
        (),
        [(SCHEME_START, "included", None)],
    ),
    (
        "CRIM-DAMAGE-RA",
        "Racially or religiously aggravated criminal damage",
        "either_way",
        False,
        3,
        ("hate",),
        [(SCHEME_START, "excluded", None)],
    ),
    (
        "PO-S4",
        "Fear or provocation of violence (Public Order Act 1986 s.4)",
        "summary_only",
        True,
        2,
        (),
        [(SCHEME_START, "included", None)],
    ),
    (
        "PO-S4A",
        "Intentional harassment, alarm or distress (Public Order Act 1986 s.4A)",
        "either_way",
        False,
        2,
        (),
        [(SCHEME_START, "included", None)],
    ),
    (
        "PO-S5",
        "Harassment, alarm or distress (Public Order Act 1986 s.5)",
        "summary_only",
        True,
        1,
        (),
        [(SCHEME_START, "included", None)],
    ),
    ("ASSAULT-COMMON", "Common assault", "summary_only", True, 2, (), [(SCHEME_START, "included", None)]),
    (
        "ASSAULT-COMMON-DA",
        "Common assault (domestic-related)",
        "summary_only",
        True,
        2,
        ("domestic_abuse",),
        [
            (SCHEME_START, "included_with_terms", "Standard or medium DASH grading only"),
            (date(2019, 4, 1), "excluded", None),
        ],
    ),
    (
        "ASSAULT-EMERGENCY",
        "Assault on an emergency worker",
        "either_way",
        False,
        3,
        (),
        [(SCHEME_START, "included", None)],
    ),
    (
        "ASSAULT-ABH",
        "Assault occasioning actual bodily harm",
        "either_way",
        False,
        3,
        (),
        [(SCHEME_START, "included", None)],
    ),
    (
        "BLADE-POSS",
        "Possession of a bladed article in a public place",
        "either_way",
        False,
        3,
        ("weapon",),
        [(SCHEME_START, "included_with_terms", "Not for repeat knife possession")],
    ),
    (
        "WEAPON-POSS",
        "Possession of an offensive weapon in a public place",
        "either_way",
        False,
        3,
        ("weapon",),
        [(SCHEME_START, "included_with_terms", "Not for repeat weapon possession")],
    ),
    (
        "FRAUD-FALSE-REP",
        "Fraud by false representation",
        "either_way",
        False,
        2,
        (),
        [(SCHEME_START, "included", None)],
    ),
    (
        "HARASSMENT",
        "Harassment (Protection from Harassment Act 1997 s.2)",
        "summary_only",
        True,
        2,
        (),
        [(SCHEME_START, "included", None)],
    ),
    (
        "MALICIOUS-COMMS",
        "Sending a malicious communication",
        "either_way",
        False,
        2,
        (),
        [(SCHEME_START, "included", None)],
    ),
    (
        "DRINK-DRIVE",
        "Driving with excess alcohol",
        "summary_only",
        True,
        3,
        ("driving",),
        [(SCHEME_START, "excluded", None)],
    ),
    ("ROBBERY", "Robbery", "indictable_only", False, 4, (), [(SCHEME_START, "excluded", None)]),
    ("SEXUAL-ASSAULT", "Sexual assault", "either_way", False, 4, ("sexual",), [(SCHEME_START, "excluded", None)]),
]


def upgrade() -> None:
    bind = op.get_bind()
    settings = sa.table(
        "scheme_settings",
        *(
            sa.column(name)
            for name in (
                "effective_from",
                "changed_at",
                "change_reason",
                "scheme_name",
                "force_name",
                "areas_served",
                "min_age",
                "max_offence_age_months",
                "admission_rule",
                "exclude_indictable_only",
                "max_gravity_without_override",
                "previous_conviction_rule",
                "acceptance_step",
                "victim_views_rule",
                "contract_length_months",
                "max_conditions",
                "community_hours_min",
                "community_hours_max",
                "contract_approval_required",
                "weekly_check_ins",
                "then_check_in_every_days",
                "first_contact_working_days",
                "warnings_before_review",
                "time_limit_margin_days",
                "completion_outcome_code",
                "failure_route",
                "retention_years",
            )
        ),
        sa.column("languages", sa.JSON),
    )
    op.bulk_insert(
        settings,
        [
            {
                "effective_from": SCHEME_START,
                "changed_at": INSTALLED_AT,
                "change_reason": "Installed with Durham Checkpoint's published rules",
                "scheme_name": "Checkpoint",
                "force_name": "Durham Constabulary",
                "areas_served": "County Durham and Darlington",
                "min_age": 18,
                "max_offence_age_months": 3,
                "admission_rule": "admission_or_no_reply",
                "exclude_indictable_only": True,
                "max_gravity_without_override": 3,
                "previous_conviction_rule": "none",
                "acceptance_step": "none",
                "victim_views_rule": "advisory",
                "contract_length_months": 4,
                "max_conditions": 5,
                "community_hours_min": 18,
                "community_hours_max": 36,
                "contract_approval_required": False,
                "weekly_check_ins": 4,
                "then_check_in_every_days": 14,
                "first_contact_working_days": 5,
                "warnings_before_review": 1,
                "time_limit_margin_days": 21,
                "completion_outcome_code": 22,
                "failure_route": "charge",
                "languages": ["en", "cy"],
                "retention_years": 6,
            }
        ],
    )
    offences = sa.table(
        "offences",
        *(
            sa.column(c)
            for c in (
                "code",
                "title",
                "mode_of_trial",
                "s127_applies",
                "gravity_base",
                "domestic_abuse",
                "hate",
                "sexual",
                "driving",
                "weapon",
            )
        ),
    )
    inclusions = sa.table(
        "offence_inclusions",
        *(sa.column(c) for c in ("offence_id", "inclusion", "terms", "effective_from", "changed_at")),
    )
    for code, title, mode, s127, gravity, flags, history in OFFENCES:
        bind.execute(
            offences.insert().values(
                code=code,
                title=title,
                mode_of_trial=mode,
                s127_applies=s127,
                gravity_base=gravity,
                **{flag: flag in flags for flag in ("domestic_abuse", "hate", "sexual", "driving", "weapon")},
            )
        )
        offence_id = bind.execute(sa.text("SELECT id FROM offences WHERE code = :code"), {"code": code}).scalar_one()
        for effective_from, inclusion, terms in history:
            bind.execute(
                inclusions.insert().values(
                    offence_id=offence_id,
                    inclusion=inclusion,
                    terms=terms,
                    effective_from=effective_from,
                    changed_at=INSTALLED_AT,
                )
            )


def downgrade() -> None:
    codes = [row[0] for row in OFFENCES]
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM offence_inclusions WHERE offence_id IN (SELECT id FROM offences)"))
    bind.execute(sa.table("offences", sa.column("code")).delete().where(sa.column("code").in_(codes)))
    bind.execute(sa.text("DELETE FROM scheme_settings WHERE effective_from = :d"), {"d": SCHEME_START})
