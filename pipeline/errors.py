"""The project's own error types: each message names the place and the next action."""

from __future__ import annotations


class TaxonomistError(Exception):
    """Base of every error the tool reports to a user (exit code 1)."""


class InputError(TaxonomistError):
    """A dump, gold or taxonomy file cannot be read as it is; says file, line and fix."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        self.file = file
        self.line = line
        where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        super().__init__(f"{where}{message}")


class ReplayMiss(TaxonomistError):
    """--replay was given and an answer is not in the cache."""


class ProviderFatal(TaxonomistError):
    """The provider refuses every request (bad key, unknown model): stop the run at once."""


class BudgetExceeded(TaxonomistError):
    """--max-cost would be exceeded by the next call."""
