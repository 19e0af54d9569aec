"""What /static/ serves: the assets static/build.mjs writes into static/vendor/ (the stylesheet, the
GOV.UK and MoJ scripts, their images and fonts) and the app's own scripts in static/js/. The build
script and the Sass sources live in static/ too, and are never served."""

from __future__ import annotations

import posixpath

from flask import Flask, abort

SERVED = ("vendor/", "js/")


def init_app(app: Flask) -> None:
    send = app.view_functions["static"]

    def static(filename: str):
        # Normalised first: "vendor/../build.mjs" is "build.mjs", which is not served.
        if not posixpath.normpath(filename).startswith(SERVED):
            abort(404)
        return send(filename=filename)

    app.view_functions["static"] = static
