"""The scripts a page loads, read as a browser reads them: GOV.UK Frontend and MoJ Frontend are
ES modules and run only when loaded as modules, and the Content-Security-Policy allows no inline
script."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from casework.domain.roles import Role
from tests.conftest import make_user, sign_in_quickly

# `export {...}` / `import ... from "..."` at statement level, as in the minified bundles.
MODULE_SYNTAX = re.compile(
    r"(?:^|[;}\s])(?:export\s*[{*]|export\s+(?:default|const|let|function|class)\b|import\s*[{*\"'])"
)
IMPORTED = re.compile(r"""\bfrom\s*["']([^"']+)["']|\bimport\s*["']([^"']+)["']""")
# Our own scripts' whole-line comments, which may quote words after "from" (the bundles have none).
LINE_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)
FRAMEWORKS = {"/static/vendor/govuk-frontend.min.js", "/static/vendor/moj-frontend.min.js"}


def _source(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code} (run `node static/build.mjs`)"
    return response.get_data(as_text=True)


def _modules_reached(client, html: str) -> set[str]:
    """Every script the page runs, checked: none inline, and none with module syntax loaded as a
    classic script (it would fail with "Unexpected token 'export'"). Returns the modules imported."""
    reached: set[str] = set()
    for script in BeautifulSoup(html, "html.parser").find_all("script"):
        src = script.get("src")
        assert src, f"an inline script is blocked by the Content-Security-Policy: {script}"
        source = _source(client, src)
        if script.get("type") != "module":
            assert not MODULE_SYNTAX.search(source), f"{src} is an ES module loaded as a classic script"
            continue
        pending = [src]
        while pending:
            path = pending.pop()
            if path in reached:
                continue
            reached.add(path)
            for match in IMPORTED.finditer(LINE_COMMENT.sub("", _source(client, path))):
                pending.append(urljoin(path, match.group(1) or match.group(2)))
    return reached


def test_the_frameworks_are_imported_as_modules_on_every_kind_of_page(client, session, team):
    assert _modules_reached(client, client.get("/sign-in").text) >= FRAMEWORKS
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    sign_in_quickly(client, session, navigator)
    assert _modules_reached(client, client.get("/navigator").text) >= FRAMEWORKS


def test_a_framework_loaded_as_a_classic_script_is_caught(client):
    """Guards the guard with the markup the service once had."""
    page = '<script src="/static/vendor/govuk-frontend.min.js"></script>'
    with pytest.raises(AssertionError, match="ES module loaded as a classic script"):
        _modules_reached(client, page)
