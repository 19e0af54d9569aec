"""The development server's request log (what `make run` prints) keeps the path, never the query
string, where people and case searches put the name or date of birth that was typed."""

from __future__ import annotations

import logging
import threading
import urllib.request

from werkzeug.serving import make_server


def test_the_request_log_keeps_the_path_but_not_the_search_typed(app, caplog):
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            url = f"http://127.0.0.1:{server.server_port}/sign-in?q=Jane+Hartley&dob=14%2F03%2F1990"
            with urllib.request.urlopen(url) as response:
                assert response.status == 200
    finally:
        server.shutdown()
        thread.join()
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name == "werkzeug")
    assert "GET /sign-in?… HTTP/1.1" in logged
    assert "Hartley" not in logged and "1990" not in logged
