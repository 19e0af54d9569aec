"""Field types shared by several forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField

from casework.domain.dates import DateProblem, parse_date, parse_time


class _ForgivingField(StringField):
    """A text box that parses what people actually type (domain.dates) and, on an error, shows
    back exactly what they typed."""

    widget = GovTextInput()
    parse = staticmethod(parse_date)
    display = "%d/%m/%Y"

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if self.raw.strip():
            try:
                self.data = self.parse(self.raw)
            except DateProblem as problem:
                raise ValueError(str(problem)) from None

    def _value(self) -> str:
        if getattr(self, "raw", None) is not None:
            return self.raw
        return self.data.strftime(self.display) if self.data else ""


class ForgivingDateField(_ForgivingField):
    pass


class ForgivingTimeField(_ForgivingField):
    parse = staticmethod(parse_time)
    display = "%H:%M"


def submitted_version(value) -> int:
    """The record version a form carried; -1 (never a real version) when it is missing or mangled."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
