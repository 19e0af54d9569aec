"""The two-role set-up on PostgreSQL: the owner runs the migrations and owns every table; the
application connects as a role that owns nothing, so it cannot disable the audit trail's triggers.

The application role may read and change every table except the audit trail, where it may only add
events and read them, and the chain's head, which it may only move forward (the head's trigger
checks each move), and case views queued for the chain, which it may add, read, and delete once
their copy is chained (the queue's trigger checks each deletion). It may read the migration version
but not change it.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

# Privileges narrower than the full read-and-write every other table gets.
NARROWER = {
    "audit_events": "SELECT, INSERT",
    "audit_chain_head": "SELECT, UPDATE",
    # Views queued for the chain: its trigger refuses a DELETE until the view's copy is chained.
    "pending_consultations": "SELECT, INSERT, DELETE",
    "alembic_version": "SELECT",
}
FULL = "SELECT, INSERT, UPDATE, DELETE"


class RoleProblem(Exception):
    pass


def grant_statements(connection: Connection, role: str) -> list[str]:
    """The statements, in order, for the current schema; the connection must be the owner's."""
    quote = connection.dialect.identifier_preparer.quote
    schema, name = quote(connection.execute(text("SELECT current_schema()")).scalar_one()), quote(role)
    statements = [
        f"GRANT USAGE ON SCHEMA {schema} TO {name}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {name}",
        f"GRANT {FULL} ON ALL TABLES IN SCHEMA {schema} TO {name}",
    ]
    for table, privileges in NARROWER.items():
        statements += [f"REVOKE ALL ON {schema}.{quote(table)} FROM {name}"]
        statements += [f"GRANT {privileges} ON {schema}.{quote(table)} TO {name}"]
    statements += [
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {name}",
        # Tables a later migration adds are the application's to use without running this again;
        # run it again anyway after a migration that adds a table needing narrower rights.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {FULL} ON TABLES TO {name}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {name}",
    ]
    return statements


def check_role(connection: Connection, role: str) -> None:
    """Refuse a role that could undo the protection: a superuser, the owner itself, one that owns a
    table, or one that can act as the owner."""
    found = connection.execute(
        text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :role"), {"role": role}
    ).first()
    if found is None:
        raise RoleProblem(f"There is no role {role!r}: create it first (CREATE ROLE ... LOGIN PASSWORD '...').")
    if found.rolsuper or found.rolbypassrls:
        raise RoleProblem(f"{role!r} is a superuser (or bypasses row security): it could disable the triggers.")
    owner = connection.execute(text("SELECT current_user")).scalar_one()
    if role == owner:
        raise RoleProblem(f"{role!r} is the role running the migrations: the application needs a role of its own.")
    owns = connection.execute(
        text("SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = :role)"),
        {"role": role},
    ).scalar_one()
    if owns:
        raise RoleProblem(f"{role!r} owns {owns} tables or other relations: the owner must own them all.")
    if connection.execute(text("SELECT pg_has_role(:role, current_user, 'MEMBER')"), {"role": role}).scalar_one():
        raise RoleProblem(f"{role!r} is a member of {owner!r}, so it could act as the owner.")


def grant_app_role(connection: Connection, role: str) -> list[str]:
    """Check the role, then apply the grants in the caller's transaction; returns what was run."""
    check_role(connection, role)
    statements = grant_statements(connection, role)
    for statement in statements:
        connection.execute(text(statement))
    return statements
