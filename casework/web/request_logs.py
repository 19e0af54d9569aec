"""The development server's request log without query strings.

Searches are GET forms, so a query string can hold a name or a date of birth typed into people or
case search; logs must not carry personal data (DESIGN.md §6). The path is kept: it names records
only by number.
"""

from __future__ import annotations

import logging
import re

# "GET /custody/people?q=Smith HTTP/1.1" -> "GET /custody/people?… HTTP/1.1"
_REQUEST_LINE = re.compile(r"^(\S+ [^?\s]*)\?\S*( \S+)$")


class WithoutQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (_REQUEST_LINE.sub(r"\1?…\2", record.args[0]), *record.args[1:])
        return True


def install() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(existing, WithoutQueryStrings) for existing in logger.filters):
        logger.addFilter(WithoutQueryStrings())
