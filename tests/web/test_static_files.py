"""/static/ serves what the pages use, and nothing else from the static/ folder: not the build
script, not the Sass sources, not a file reached by climbing out with ".."."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from casework.domain.roles import Role
from tests.conftest import make_user, sign_in_quickly

CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


@pytest.mark.parametrize(
    "path",
    [
        "/static/build.mjs",
        "/static/src/app.scss",
        "/static/vendor/../build.mjs",
        "/static/js/../src/app.scss",
        "/static/../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
        "/static/vendor/%2e%2e/%2e%2e/pyproject.toml",
        "/static/vendor/axe.min.js",
        "/static/",
        "/static/vendor/",
    ],
)
def test_sources_and_paths_outside_the_built_assets_are_not_served(client, path):
    assert client.get(path).status_code == 404


def _assets(client, html: str, page: str) -> set[str]:
    """Every /static/ address a page refers to, and the images its stylesheets refer to."""
    document = BeautifulSoup(html, "html.parser")
    found = {
        urljoin(page, tag.get("href") or tag.get("src"))
        for tag in document.select("link[href], script[src], img[src]")
        if (tag.get("href") or tag.get("src")).startswith("/static/")
    }
    for stylesheet in [path for path in found if path.endswith(".css")]:
        for match in CSS_URL.finditer(client.get(stylesheet).get_data(as_text=True)):
            if not match.group(1).startswith("data:"):
                found.add(urljoin(stylesheet, match.group(1)))
    return found


def test_every_asset_a_page_refers_to_is_served(client, session, team):
    navigator = make_user(session, roles=[Role.NAVIGATOR], team=team)
    pages = {"/sign-in": client.get("/sign-in").text}
    sign_in_quickly(client, session, navigator)
    pages["/navigator"] = client.get("/navigator").text
    assets = set().union(*(_assets(client, html, page) for page, html in pages.items()))
    assert {"/static/vendor/app.css", "/static/js/app.js"} <= assets
    assert any("/images/" in asset for asset in assets), "the stylesheet's images were not followed"
    for asset in sorted(assets):
        response = client.get(asset)
        assert response.status_code == 200, f"{asset} answered {response.status_code} (run `make assets`)"
        response.close()
