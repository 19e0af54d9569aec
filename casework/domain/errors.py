"""The only exceptions services raise; views turn each into a page the user can act on."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: the message is written for the user who caused it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class FieldError(DomainError):
    """Input that breaks a rule, reported next to the field it belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class FieldErrors(DomainError):
    """Several fields break rules at once: every one is reported, not only the first."""

    def __init__(self, problems: list[FieldError]):
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems

    @staticmethod
    def raise_any(problems: list[FieldError]) -> None:
        if len(problems) == 1:
            raise problems[0]
        if problems:
            raise FieldErrors(problems)


class NotPermitted(DomainError):
    """The actor's role or team does not allow this action on this object."""


class NotFound(DomainError):
    """The object does not exist, or the actor may not know that it does."""


class IllegalTransition(DomainError):
    """A state change that the workflow does not allow from the current state."""


class StaleRecord(DomainError):
    """Someone else changed the record after the actor loaded it. `case_id` lets the page name who."""

    def __init__(self, message: str, *, case_id: int | None = None):
        super().__init__(message)
        self.case_id = case_id


class AlreadySent(DomainError):
    """A create form sent a second time (a double click, a resend): the first copy was saved, this
    one is not. `link` leads to what the first copy created."""

    def __init__(self, message: str, *, link: str | None = None):
        super().__init__(message)
        self.link = link


class SignInRefused(DomainError):
    """Sign-in failed; the message never says whether the username exists."""
