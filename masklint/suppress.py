"""Suppression comments.

On the line a finding is reported on (its first line), or, when that line goes on inside a
multi-line string or with a backslash, on the line where that continuation ends (as in Ruff):

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
from typing import Dict, FrozenSet, Iterable, List, Optional, Tuple

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
class Comment:
    """One line-level suppression comment, for the unused-suppression rule (ML901)."""

    line: int
    column: int  # 0-based start of the directive (``# masklint: ignore...`` or ``# noqa...``)
    end: int  # 0-based end of the directive
    text: str  # the directive as written
    kind: str  # "masklint" or "noqa"
    codes: Optional[FrozenSet[str]]  # None: every code
    strip_from: int  # 0-based: where a removal starts (the blank before a comment that is only this)
    strip_to: int  # 0-based: where a removal ends (the blank after it when another comment follows)
    used: set = field(default_factory=set)  # codes it suppressed (ALL_USED for a bare one)


@dataclass
class Suppressions:
    lines: Dict[int, Optional[FrozenSet[str]]] = field(default_factory=dict)  # None = all codes
    file_wide: bool = False
    file_codes: Optional[FrozenSet[str]] = ALL  # meaningful when ``file_wide``
    comments: List[Comment] = field(default_factory=list)
    continues: Dict[int, int] = field(default_factory=dict)  # line -> the line its text continues to

    def add_line(self, line: int, codes: Optional[FrozenSet[str]]) -> None:
        self.lines[line] = _merge(self.lines.get(line), codes, line in self.lines)

    def add_file(self, codes: Optional[FrozenSet[str]]) -> None:
        self.file_codes = _merge(self.file_codes, codes, self.file_wide)
        self.file_wide = True

    def _file_covers(self, code: str) -> bool:
        return self.file_wide and (self.file_codes is ALL or code in self.file_codes)

    def _mark(self, code: str, lines, skip_column: Optional[int] = None) -> bool:
        """Mark the line comments on ``lines`` that cover ``code`` as used (all but the one at
        ``skip_column``); whether there was one."""
        found = False
        for c in self.comments:
            if c.line in lines and c.column != skip_column and (c.codes is ALL or code in c.codes):
                c.used.add(code)
                found = True
        return found

    def suppresses(self, diag: Diagnostic) -> bool:
        code = diag.code.upper()
        if self._file_covers(code):
            return True
        codes = self.lines.get(diag.line, ())
        if diag.line in self.lines and (codes is ALL or code in codes):
            self._mark(code, (diag.line, self.continues.get(diag.line)))
            return True
        return False

    def keeps_quiet(self, unused: Diagnostic) -> bool:
        """Whether an ML901 finding about one comment is suppressed by *another* directive: a
        ``# noqa: ML901`` beside it, or a file-level ignore (a comment never hides its own)."""
        return self._file_covers(unused.code) or self._mark(unused.code, (unused.line,), unused.column - 1)

    def filter(self, diagnostics: Iterable[Diagnostic]) -> List[Diagnostic]:
        return [d for d in diagnostics if not self.suppresses(d)]


def _comments(source: str):
    """(line, column, text, own_line, code_end) for every comment token, up to a tokenize error;
    ``code_end`` is where the code before the comment ends (the blank before it starts)."""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                row, col = tok.start
                yield row, col, tok.string, not tok.line[:col].strip(), len(tok.line[:col].rstrip())
    except (tokenize.TokenError, SyntaxError):  # IndentationError is a SyntaxError
        return


def _removal(text: str, m, col: int, code_end: int):
    """(start, end) of what removing the directive ``m`` of comment ``text`` (at column ``col``)
    takes: the blank before it when it ends the line, else the blank after it."""
    rest = text[m.end():]
    if rest.strip():  # another comment follows: `# masklint: ignore[X]  # pragma: no cover`
        return (col + m.start(), col + m.end() + len(rest) - len(rest.lstrip()))
    if m.start() == 0:
        return (code_end, col + m.end() + len(rest))
    before = text[: m.start()]
    return (col + len(before.rstrip()), col + m.end() + len(rest))


def continuations(source: str) -> Dict[int, int]:
    """{line: the line its text continues to}: lines inside a multi-line string (or f-string) and
    lines ending with a backslash continue to where that ends; a comment can only go there."""
    out: Dict[int, int] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.start[0] < tok.end[0] and tok.type not in (tokenize.NEWLINE, tokenize.NL):
                for row in range(tok.start[0], tok.end[0]):
                    out[row] = max(out.get(row, 0), tok.end[0])
            if tok.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE) and tok.line.rstrip().endswith("\\"):
                row = tok.end[0]
                if tok.line.count("\n") <= 1:
                    out.setdefault(row, row + 1)
    except (tokenize.TokenError, SyntaxError):
        pass
    for row in sorted(out, reverse=True):  # chains: a backslash line that leads into a string
        out[row] = out.get(out[row], out[row])
    return out


def parse_suppressions(source: str) -> Suppressions:
    result = Suppressions()
    if "#" not in source:
        return result
    found = list(_comments(source))
    if not any(_IGNORE_RE.search(text) or _NOQA_RE.search(text) for _, _, text, _, _ in found):
        return result
    conts = continuations(source) if ("\\" in source or '"""' in source or "\'\'\'" in source) else {}
    result.continues = conts
    ends: Dict[int, List[int]] = {}
    for row, end in conts.items():
        ends.setdefault(end, []).append(row)
    for row, col, text, own_line, code_end in found:
        for m in _IGNORE_RE.finditer(text):
            codes = _codes(m.group("codes"))
            if m.group("file"):
                if own_line:
                    result.add_file(codes)
            else:
                result.add_line(row, codes)
                for start in ends.get(row, ()):
                    result.add_line(start, codes)
                result.comments.append(Comment(row, col + m.start(), col + m.end(), m.group(0), "masklint", codes,
                                               *_removal(text, m, col, code_end)))
        m = _NOQA_RE.search(text)
        if m:
            codes = _codes(m.group("codes"))
            result.add_line(row, codes)
            for start in ends.get(row, ()):
                result.add_line(start, codes)
            result.comments.append(Comment(row, col + m.start(), col + m.end(), m.group(0), "noqa", codes,
                                           *_removal(text, m, col, code_end)))
    return result


def apply_suppressions(source: str, diagnostics: List[Diagnostic]) -> List[Diagnostic]:
    if not diagnostics:
        return diagnostics
    return parse_suppressions(source).filter(diagnostics)


def suppression_edit(text: str, codes) -> Tuple[int, int, str]:
    """How to suppress ``codes`` on the line ``text``: (start, end, replacement), 0-based columns.
    Codes are merged into the line's ``# masklint: ignore[...]`` comment when it has one, else a
    comment is appended (``--add-noqa``, the language server's code action)."""
    comments = [c for c in parse_suppressions(text).comments if c.kind == "masklint" and c.codes is not None]
    if comments:
        c = comments[0]
        return c.column, c.end, f"# masklint: ignore[{', '.join(sorted(set(c.codes) | set(codes)))}]"
    end = len(text.rstrip("\r\n"))
    return end, end, f"  # masklint: ignore[{', '.join(sorted(codes))}]"


UNUSED_CODE = "ML901"


def unused_suppressions(sup: Suppressions, enabled: FrozenSet[str], known: FrozenSet[str]) -> List[Diagnostic]:
    """ML901 findings for line suppressions that suppressed nothing (Ruff's RUF100): a
    ``# masklint: ignore[...]`` comment, or the ML codes of a ``# noqa: ...`` comment.  Codes of
    other tools in a ``# noqa``, a bare ``# noqa`` and codes that are not enabled are left alone:
    they may serve another linter or another selection.  Unknown ML codes are reported too.
    Each finding carries a safe fix that removes what is unused."""
    out = []
    for c in sup.comments:
        if c.codes is ALL:
            if c.kind == "masklint" and not c.used:
                out.append(_unused(c, f"unused suppression `{c.text}`: nothing is reported on this line", ""))
            continue
        ours = sorted(x for x in c.codes if x.startswith("ML"))
        unknown = [x for x in ours if x not in known]
        unused = [x for x in ours if x in known and x in enabled and x not in c.used]
        if c.kind == "masklint":
            unknown += sorted(x for x in c.codes if not x.startswith("ML"))
        if not unknown and not unused:
            continue
        keep = [x for x in sorted(c.codes) if x not in unknown and x not in unused]
        what = []
        if unused:
            what.append(f"{', '.join(unused)} not reported on this line")
        if unknown:
            what.append(f"unknown code{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
        prefix = "# masklint: ignore" if c.kind == "masklint" else "# noqa: "
        replacement = f"{prefix}[{', '.join(keep)}]" if c.kind == "masklint" and keep else (
            f"{prefix}{', '.join(keep)}" if keep else "")
        out.append(_unused(c, f"unused suppression `{c.text}`: {'; '.join(what)}", replacement))
    return out


def _unused(c: Comment, message: str, replacement: str) -> Diagnostic:
    start, end = (c.column, c.end) if replacement else (c.strip_from, c.strip_to)  # a removal takes a blank
    d = Diagnostic(UNUSED_CODE, "unused-suppression", message, "", c.line, c.column + 1, c.line, c.end + 1,
                   "warning", help="remove it" if not replacement else f"keep only `{replacement}`")
    d.fix = [{"line": c.line, "column": start + 1, "end_line": c.line, "end_column": end + 1,
              "replacement": replacement}]
    d.fix_applicability, d.fix_title = "safe", ("Remove the unused suppression" if not replacement
                                                else "Remove the unused codes")
    return d
