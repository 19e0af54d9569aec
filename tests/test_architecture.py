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
    own statuses) and services/assessment_journey.py (an assessment's one step, draft to completed)
    assign a `.status`."""
    allowed = {"services/contract_status.py", "services/referrals.py", "services/assessment_journey.py"}
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
