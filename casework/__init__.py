"""casework: case management for police-led deferred prosecution schemes."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from casework.domain.clock import Clock, SystemClock

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None, *, clock: Clock | None = None) -> Flask:
    """Application factory used by `flask --app casework` and by the tests, which pass a fixed clock."""
    from casework.config import Settings
    from casework.services import audit_keys
    from casework.web import register

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    settings = Settings.from_env(Path(app.instance_path))
    if overrides:
        settings = Settings(**{**settings.__dict__, **overrides})
    app.config["CASEWORK"] = settings
    audit_keys.install(settings.audit_keyring())  # refuses to start without a key
    app.extensions["casework.clock"] = clock or SystemClock()
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    register(app, settings)
    if settings.trusted_proxies:
        # The client's address from the proxies' X-Forwarded-For, trusting only the hops declared.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies)
    return app
