"""Errors the scoring and selection code raises for bad input, with messages fit for a user.

Every problem names the table, the row (by its identifier) and the field, so a command line can
print it as it stands and exit non-zero without a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_LISTED = 20


@dataclass(frozen=True)
class Problem:
    """One bad value: ``table``, the row's identifier, the ``field``, its value and why."""

    table: str
    row: str
    field: str
    value: str
    reason: str
    person_id: str | None = None

    def __str__(self) -> str:
        return f"{self.table}: {self.row}: {self.field}: {self.value}: {self.reason}"


class ScoringError(Exception):
    """Base class: the message is written for the user."""


class ScoringInputError(ScoringError):
    """The history cannot be scored as it stands; ``problems`` lists every bad row found."""

    def __init__(self, problems: Sequence[Problem], hint: str = "") -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            lines.append(f"... and {len(self.problems) - MAX_LISTED} more")
        head = f"{len(self.problems)} problem(s) in the input"
        super().__init__("\n".join([head + (f" ({hint})" if hint else "") + ":", *lines]))


class SettingsError(ScoringError):
    """A settings or criteria file is malformed: the message names the file and the field."""


class ScoresFileError(ScoringError):
    """A scores file for an audit is unusable: the message names the row or column."""
