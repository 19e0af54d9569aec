"""Field types shared by several forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField

from casework.domain.dates import DateProblem, parse_date


class ForgivingDateField(StringField):
    """A text box that accepts the date formats people actually type (domain.dates)."""

    widget = GovTextInput()

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if self.raw.strip():
            try:
                self.data = parse_date(self.raw)
            except DateProblem as problem:
                raise ValueError(str(problem)) from None

    def _value(self) -> str:
        if getattr(self, "raw", None) is not None:
            return self.raw
        return self.data.strftime("%d/%m/%Y") if self.data else ""
