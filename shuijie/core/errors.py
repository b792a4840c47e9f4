"""User-facing problems and the errors that carry them, with their exit codes.

Every mistake a clerk can make is reported as a :class:`Problem`: a message key
from the catalogue (``shuijie.messages``) with its parameters, and where it is
(file, row as the clerk sees it, column).  Code raises :class:`InputError`
(exit 2), :class:`VerifyError` (exit 1) or :class:`InfeasibleError` (exit 3)
holding one or more problems; the CLI prints them and exits with the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shuijie.core.messages import render, render_location

EXIT_VERIFY_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3


@dataclass(frozen=True)
class Problem:
    """One thing wrong, with its place.

    ``code`` is a key of the message catalogue; ``params`` fill its text.
    ``row`` is 1-based as the clerk sees it: the Excel row number, the CSV
    line number, or the YAML line number.  ``column`` is the column header as
    written in the file (or the YAML key).  A ``warning`` is printed but does
    not stop the command (exit 0).
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    file: str | None = None
    row: int | None = None
    column: str | None = None
    warning: bool = False

    def message(self, lang: str = "zh") -> str:
        return render(self.code, lang, **self.params)

    def location(self, lang: str = "zh") -> str:
        return render_location(lang, self.file, self.row, self.column)

    def text(self, lang: str = "zh") -> str:
        loc = self.location(lang)
        return f"{loc}{self.message(lang)}"

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "code": self.code,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message(lang),
            "severity": "warning" if self.warning else "error",
        }


class ShuijieError(Exception):
    """Base of every error the CLI turns into a message and an exit code."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, problems: Problem | list[Problem]):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("; ".join(p.text("en") for p in self.problems))


class InputError(ShuijieError):
    """Bad input: registries, plan, results sheet, command arguments (exit 2)."""

    exit_code = EXIT_BAD_INPUT


class VerifyError(ShuijieError):
    """A round does not recompute to the same bytes (exit 1)."""

    exit_code = EXIT_VERIFY_FAILED


class InfeasibleError(ShuijieError):
    """The draw cannot satisfy the plan's rules (exit 3)."""

    exit_code = EXIT_INFEASIBLE


class ProblemList:
    """Collects problems while validating, so that all are reported at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, code: str, *, file: str | None = None, row: int | None = None,
            column: str | None = None, **params: Any) -> None:
        self.items.append(Problem(code, params, file, row, column))

    def warn(self, code: str, *, file: str | None = None, row: int | None = None,
             column: str | None = None, **params: Any) -> None:
        """A problem that is reported but does not fail the command."""
        self.items.append(Problem(code, params, file, row, column, warning=True))

    def extend(self, problems: list[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.warning]

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self) -> None:
        """InputError with every problem (warnings too) when there is at least one error."""
        if self.errors:
            raise InputError(self.items)
