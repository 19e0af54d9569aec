"""What a page's address may carry: record numbers the database can hold, and text without NULs.

PostgreSQL's integer columns end at 2,147,483,647 (SQLite's at 2**63 - 1) and its text cannot hold
a NUL character: either sent to the database raises an error. An address carrying one (typed,
or tampered with) answers "Page not found", like any other address that names nothing.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map, UnicodeConverter

LARGEST = 2**31 - 1


class RecordNumber(IntegerConverter):
    """The app's `<int:...>`: a whole number from 0 to LARGEST; anything else matches no page."""

    # The parameter names are werkzeug's: a rule may still say <int(max=99):n>.
    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = 0, max: int = LARGEST) -> None:
        super().__init__(map, fixed_digits, min, max)


class Segment(UnicodeConverter):
    """The app's `<name>` and `<string:...>`: one path segment, with no NUL in it."""

    def __init__(self, map: Map, *args, **kwargs) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]", 1)


def install(app) -> None:
    """Before any blueprint is registered: the rules are built with the converters in place then."""
    app.url_map.converters.update(int=RecordNumber, default=Segment, string=Segment)


def record_number(text: str) -> int:
    """For `request.args.get(name, type=record_number)`: a number outside the range is no number
    (ValueError), so the argument falls back to its default."""
    number = int(text)
    if not 0 <= number <= LARGEST:
        raise ValueError(f"{text!r} is outside the record number range")
    return number
