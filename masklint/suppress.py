"""Suppression comments.

On the line a finding is reported on (its first line):

* ``# masklint: ignore[ML101]``, ``# masklint: ignore[ML101, ML202]``; bare
  ``# masklint: ignore`` suppresses every code on that line;
* ``# noqa: ML101`` / ``# noqa:ML101,ML102`` / ``# noqa: ML101 ML102``, and bare ``# noqa``,
  with flake8's reading (``# noqa`` followed by anything but ``:CODES`` is bare).

File level: ``# masklint: ignore-file`` (or ``# masklint: ignore-file[ML101, ...]``) on a line
of its own, anywhere in the file, suppresses every finding (or those codes) in the file.

Codes are full codes, matched case-insensitively.  Only real comments count: the source is
tokenized, so a ``# noqa`` inside a string suppresses nothing.  Code that does not tokenize
(a syntax error) keeps the comments found before the error.
"""
from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterable, List, Optional

from masklint.diagnostics import Diagnostic

ALL = None  # "every code"

_CODES = r"[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*"
_IGNORE_RE = re.compile(r"#\s*masklint\s*:\s*ignore(?P<file>-file)?(?![\w-])(?:\[(?P<codes>[^\]]*)\])?",
                        re.IGNORECASE)
_NOQA_RE = re.compile(r"#\s*noqa(?::\s?(?P<codes>" + _CODES + r"))?", re.IGNORECASE)


def _codes(text: Optional[str]) -> Optional[FrozenSet[str]]:
    if text is None:
        return ALL
    codes = frozenset(c.upper() for c in re.split(r"[\s,]+", text) if c)
    return codes or ALL


def _merge(a: Optional[FrozenSet[str]], b: Optional[FrozenSet[str]], present: bool):
    if not present:
        return b
    if a is ALL or b is ALL:
        return ALL
    return a | b


@dataclass
class Suppressions:
    lines: Dict[int, Optional[FrozenSet[str]]] = field(default_factory=dict)  # None = all codes
    file_wide: bool = False
    file_codes: Optional[FrozenSet[str]] = ALL  # meaningful when ``file_wide``

    def add_line(self, line: int, codes: Optional[FrozenSet[str]]) -> None:
        self.lines[line] = _merge(self.lines.get(line), codes, line in self.lines)

    def add_file(self, codes: Optional[FrozenSet[str]]) -> None:
        self.file_codes = _merge(self.file_codes, codes, self.file_wide)
        self.file_wide = True

    def suppresses(self, diag: Diagnostic) -> bool:
        code = diag.code.upper()
        if self.file_wide and (self.file_codes is ALL or code in self.file_codes):
            return True
        if diag.line in self.lines:
            codes = self.lines[diag.line]
            return codes is ALL or code in codes
        return False

    def filter(self, diagnostics: Iterable[Diagnostic]) -> List[Diagnostic]:
        return [d for d in diagnostics if not self.suppresses(d)]


def _comments(source: str):
    """(line, column, text, own_line) for every comment token, up to a tokenize error."""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                row, col = tok.start
                yield row, col, tok.string, not tok.line[:col].strip()
    except (tokenize.TokenError, SyntaxError):  # IndentationError is a SyntaxError
        return


def parse_suppressions(source: str) -> Suppressions:
    result = Suppressions()
    if "#" not in source:
        return result
    for row, _, text, own_line in _comments(source):
        for m in _IGNORE_RE.finditer(text):
            codes = _codes(m.group("codes"))
            if m.group("file"):
                if own_line:
                    result.add_file(codes)
            else:
                result.add_line(row, codes)
        m = _NOQA_RE.search(text)
        if m:
            result.add_line(row, _codes(m.group("codes")))
    return result


def apply_suppressions(source: str, diagnostics: List[Diagnostic]) -> List[Diagnostic]:
    if not diagnostics:
        return diagnostics
    return parse_suppressions(source).filter(diagnostics)
