"""Findings: what hexcheck reports, independent of how it is printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from hexcheck.core.pickling import pickled_by_fields


class Severity(str, Enum):
    """How bad a finding is; both fail the run, as in flake8."""

    ERROR = "error"
    WARNING = "warning"


@pickled_by_fields
@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a file; `path` is relative to the working directory, with `/`."""

    path: str
    line: int
    column: int = 0
    end_line: int = 0
    end_column: int = 0


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Hop:
    """One step of an import chain, shown in messages and as a SARIF related location."""

    importer: str
    imported: str
    location: Location


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, at one place, found by one rule.

    `symbol` names what the finding is about (a module, `module.Class`, a chain) without
    a line number, so that a baseline can recognise it after the code around it moves.
    `group` names the one change that would fix it (`HEX101 web -> app.infrastructure.db`):
    findings of one design decision share it, whatever their lines. The engine sets it.
    """

    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    symbol: str
    layer: str = ""
    chain: tuple[Hop, ...] = field(default=(), compare=False)
    group: str = field(default="", compare=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Findings are sorted by path, line, column, code, then message."""
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.message)
