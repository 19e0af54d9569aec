"""Keeps the import arrows pointing one way (DESIGN.md §1)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "casework"

FORBIDDEN = {
    "domain": (
        "flask",
        "flask_login",
        "flask_wtf",
        "sqlalchemy",
        "casework.models",
        "casework.services",
        "casework.web",
        "alembic",
    ),
    "models": ("flask", "flask_login", "flask_wtf", "casework.services", "casework.web"),
    "services": ("flask", "flask_login", "flask_wtf", "casework.web"),
    "jobs": ("flask", "flask_login", "flask_wtf", "casework.web"),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_does_not_import_upwards(layer):
    offenders = []
    for path in (PACKAGE / layer).rglob("*.py"):
        for name in _imports(path):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[layer]):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_views_do_not_query_the_database_directly():
    offenders = []
    for path in (PACKAGE / "web").rglob("*.py"):
        for name in _imports(path):
            if name.startswith("casework.models") or name == "sqlalchemy":
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not offenders, "views go through services:\n" + "\n".join(offenders)


def test_no_module_past_400_lines():
    long = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if len(p.read_text().splitlines()) > 400]
    assert not long, f"split these by concept: {long}"


def test_contract_and_condition_statuses_change_only_through_their_tables():
    """Only services/contract_status.py (the contract tables), services/referrals.py (a referral's
    own statuses), services/assessment_journey.py (an assessment's one step, draft to completed) and
    services/reminders.py (a reminder's one step, queued to sent, failed or skipped) and
    services/breach_status.py (a breach's steps, domain.breaches.BREACH_STEPS) assign a `.status`."""
    allowed = {
        "services/contract_status.py",
        "services/referrals.py",
        "services/assessment_journey.py",
        "services/reminders.py",
        "services/breach_status.py",
    }
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        name = str(path.relative_to(PACKAGE))
        for node in ast.walk(ast.parse(path.read_text())):
            targets = node.targets if isinstance(node, ast.Assign) else []
            targets += [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else []
            for target in targets:
                for element in target.elts if isinstance(target, ast.Tuple) else [target]:
                    if isinstance(element, ast.Attribute) and element.attr == "status" and name not in allowed:
                        offenders.append(f"{name}:{node.lineno}")
    assert not offenders, "change a status through its table:\n" + "\n".join(offenders)


# ---- a case's state changes only in services/transitions.py -------------------------------------

STATE_WRITER = "services/transitions.py"
# Statements that write rows: `update(Case).where(...).values(state=...)`, `insert(Case).values(...)`.
WRITING_STATEMENTS = {"update", "insert"}


def _targets(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        found = list(node.targets)
    elif isinstance(node, ast.AugAssign | ast.AnnAssign | ast.For | ast.AsyncFor | ast.comprehension | ast.NamedExpr):
        found = [node.target]
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        found = [node.optional_vars]
    else:
        return []
    flat: list[ast.AST] = []
    while found:
        target = found.pop()
        if isinstance(target, ast.Tuple | ast.List):
            found.extend(target.elts)
        elif isinstance(target, ast.Starred):
            found.append(target.value)
        else:
            flat.append(target)
    return flat


def _names_case(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "Case") or (
        isinstance(node, ast.Attribute) and node.attr == "Case"
    )


def _writes_case_rows(call: ast.Call) -> bool:
    """`.values(...)` somewhere down a chain that starts with update(Case) or insert(Case)."""
    receiver: ast.AST = call.func.value if isinstance(call.func, ast.Attribute) else call.func
    while isinstance(receiver, ast.Call | ast.Attribute):
        if isinstance(receiver, ast.Call):
            func = receiver.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in WRITING_STATEMENTS and receiver.args and _names_case(receiver.args[0]):
                return True
            receiver = func
        else:
            receiver = receiver.value
    return False


def _is_state_key(key: ast.AST | None) -> bool:
    return (isinstance(key, ast.Constant) and key.value == "state") or (
        isinstance(key, ast.Attribute) and key.attr == "state" and _names_case(key.value)
    )


def _sets_state_in_call(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name) and func.id == "setattr":
        return len(call.args) >= 2 and isinstance(call.args[1], ast.Constant) and call.args[1].value == "state"
    by_keyword = any(keyword.arg == "state" for keyword in call.keywords)
    if _names_case(func):
        return by_keyword
    if isinstance(func, ast.Attribute) and func.attr == "values" and _writes_case_rows(call):
        by_dict = any(isinstance(arg, ast.Dict) and any(_is_state_key(key) for key in arg.keys) for arg in call.args)
        return by_keyword or by_dict
    return False


def state_writes(source: str) -> list[int]:
    """Line numbers where this source assigns a case's state."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        lines += [t.lineno for t in _targets(node) if isinstance(t, ast.Attribute) and t.attr == "state"]
        if isinstance(node, ast.Call) and _sets_state_in_call(node):
            lines.append(node.lineno)
    return sorted(lines)


@pytest.mark.parametrize(
    "source",
    [
        "case.state = 'active'",
        "case.state: str = 'active'",
        "case.state += 'x'",
        "case.closed_at, case.state = now, 'closed'",
        "[case.state, other] = values",
        "first, *case.state = values",
        "for case.state in states: pass",
        "[None for case.state in states]",
        "with opening() as case.state: pass",
        "setattr(case, 'state', 'active')",
        "Case(reference='CP-1', state='active')",
        "models.Case(state=state.value)",
        "session.execute(update(Case).where(Case.id == 1).values(state='active'))",
        "session.execute(sa.update(Case).values({'state': 'active'}))",
        "session.execute(insert(Case).values({Case.state: 'active'}))",
    ],
)
def test_the_state_check_finds_every_way_of_writing_a_state(source):
    assert state_writes(source) == [1]


@pytest.mark.parametrize(
    "source",
    [
        "state = case.state",
        "if case.state == 'active': pass",
        "CaseloadQuery(state=CaseState.ACTIVE)",
        "select(Case).filter_by(state='active')",
        "update(Contract).values(state='x')",
        "case.state_label = 'Active'",
    ],
)
def test_the_state_check_leaves_reading_alone(source):
    assert state_writes(source) == []


def test_only_transitions_assigns_a_case_state():
    """DESIGN.md §4: every change of state goes through services/transitions.py `move`, which checks
    the lifecycle table, ties the data the state needs, catches a concurrent change and audits it.
    The demo data too: a state set by hand has none of the rows the services would have made."""
    assert state_writes((PACKAGE / STATE_WRITER).read_text()), "the check no longer sees the one real writer"
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if str(path.relative_to(PACKAGE)) != STATE_WRITER
        for line in state_writes(path.read_text())
    ]
    assert not offenders, "move a case through services/transitions.py:\n" + "\n".join(offenders)
