"""One family of errors for the whole core, so front ends can catch them and show a friendly line."""

from __future__ import annotations


class CodesignError(Exception):
    """Base class: the message is written for the person using the product."""


class NotFoundError(CodesignError):
    """A workshop, story or other record does not exist (or is not visible to this person)."""


class ClosedError(CodesignError):
    """The workshop or round is closed to new contributions."""


class ValidationFailed(CodesignError):
    """Input that a person typed or uploaded cannot be accepted as it is."""


class ThrottledError(CodesignError):
    """Too many attempts in a short time; try again later."""


class StorageUnavailable(CodesignError):
    """The database cannot be reached or opened."""


class KitError(CodesignError):
    """A workshop kit is invalid: one line per problem, each naming the file and the field."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {problem}" for problem in problems))
