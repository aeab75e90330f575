"""Entry point of the static analysis: source text in, diagnostics out.

The CLI, the flake8 plugin and the runtime hook all call :func:`check_source`.  It reports
every static rule (default and opt-in); selection, suppression comments and output formats
are the caller's business (``masklint.runner``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence

from masklint.diagnostics import Diagnostic


class ParseFailure(Exception):
    """The source could not be parsed; ``line``/``column`` locate it when known."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class CheckResult:
    diagnostics: List[Diagnostic]
    deps: List[str] = field(default_factory=list)  # other project files the result depends on


class Project:
    """The set of files being linted, for cross-module resolution (imports of helpers)."""

    def __init__(self, roots: Sequence[Path] = ()):
        self.roots = [Path(r).resolve() for r in roots]


def check_source(source: str, path: str, project: Optional[Project] = None) -> CheckResult:
    """Analyse one module.  Raises :class:`ParseFailure` for code that does not parse."""
    return CheckResult([])  # replaced by the analysis
