"""Applying fixes: ``Diagnostic.fix`` lists of text edits, written atomically.

An edit is ``{"line", "column", "end_line", "end_column", "replacement"}``: 1-based lines and
columns counted in characters, the end exclusive (``end_column`` is the column just after the
replaced text; an insertion has start == end).  A fix is all-or-nothing: if one of its edits
overlaps an edit already accepted for the file, the whole fix is skipped and its diagnostic
stays reported.  If any edit of a file is malformed or out of range, or the file changed since
it was linted, or it cannot be re-encoded, the file is left untouched.  A file is rewritten by
writing a temporary file in its directory and ``os.replace``-ing it over the original (mode
preserved, symbolic links resolved), so it is never left half-written.
"""
from __future__ import annotations

import difflib
import io
import os
import re
import stat
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from masklint.cache import atomic_write_bytes, content_hash
from masklint.diagnostics import Diagnostic

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")  # Python's own line breaks


class EditError(ValueError):
    pass


@dataclass
class FileFix:
    path: str
    fixed: List[Diagnostic] = field(default_factory=list)
    diff: str = ""
    error: Optional[str] = None  # why the file was left untouched


def _line_starts(text: str) -> Tuple[List[int], List[str]]:
    lines = _LINE_RE.findall(text)
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line)
    return starts, lines


def _offset(starts: List[int], lines: List[str], text_len: int, line: object, column: object) -> int:
    if not isinstance(line, int) or not isinstance(column, int) or isinstance(line, bool) or isinstance(column, bool):
        raise EditError(f"bad position {line!r}:{column!r}")
    if line == len(lines) + 1 and column == 1:  # the end of the file
        return text_len
    if not 1 <= line <= len(lines):
        raise EditError(f"line {line} out of range")
    content = lines[line - 1].rstrip("\r\n")
    if not 1 <= column <= len(content) + 1:
        raise EditError(f"column {column} out of range on line {line}")
    return starts[line - 1] + column - 1


def edit_spans(text: str, edits: Sequence[Dict]) -> List[Tuple[int, int, str]]:
    starts, lines = _line_starts(text)
    spans = []
    for edit in edits:
        try:
            start = _offset(starts, lines, len(text), edit["line"], edit["column"])
            end = _offset(starts, lines, len(text), edit["end_line"], edit["end_column"])
            replacement = edit["replacement"]
        except (KeyError, TypeError) as exc:
            raise EditError(f"malformed edit {edit!r}") from exc
        if end < start or not isinstance(replacement, str):
            raise EditError(f"malformed edit {edit!r}")
        spans.append((start, end, replacement))
    return spans


def _overlaps(a: Tuple[int, int, str], b: Tuple[int, int, str]) -> bool:
    return (a[0] < b[1] and b[0] < a[1]) or a[0] == b[0]


def plan_fixes(text: str, diagnostics: Sequence[Diagnostic]) -> Tuple[str, List[Diagnostic]]:
    """The fixed text and the diagnostics whose fixes went in.  Raises :class:`EditError`."""
    accepted: List[Tuple[int, int, str]] = []
    fixed = []
    for diag in diagnostics:
        if not diag.fix:
            continue
        spans = edit_spans(text, diag.fix)
        if any(_overlaps(s, a) for s in spans for a in accepted) or any(
            _overlaps(s, t) for i, s in enumerate(spans) for t in spans[i + 1:]
        ):
            continue
        accepted.extend(spans)
        fixed.append(diag)
    for start, end, replacement in sorted(accepted, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, fixed


def plan_notebook_fixes(nb, diagnostics: Sequence[Diagnostic]) -> Tuple[Dict[int, str], List[Diagnostic]]:
    """The new source of each changed cell (by cell index) and the diagnostics whose fixes went in:
    the edits carry their cell, and are applied to the cell's own source (all-or-nothing per fix)."""
    texts = {c.index: c.text for c in nb.cells}
    accepted: Dict[int, List[Tuple[int, int, str]]] = {}
    fixed = []
    for diag in diagnostics:
        if not diag.fix:
            continue
        spans: List[Tuple[int, Tuple[int, int, str]]] = []
        for e in diag.fix:
            if e.get("cell") not in texts:
                raise EditError(f"edit outside the notebook's code cells: {e!r}")
            spans += [(e["cell"], s) for s in edit_spans(texts[e["cell"]], [e])]
        clash = any(c == c2 and _overlaps(s, a) for c, s in spans for c2 in accepted for a in accepted[c2]) or any(
            c == c2 and _overlaps(s, t) for i, (c, s) in enumerate(spans) for c2, t in spans[i + 1:])
        if clash:
            continue
        for c, s in spans:
            accepted.setdefault(c, []).append(s)
        fixed.append(diag)
    sources = {}
    for c, spans_c in accepted.items():
        text = texts[c]
        for start, end, replacement in sorted(spans_c, reverse=True):
            text = text[:start] + replacement + text[end:]
        sources[c] = text
    return sources, fixed


def _fix_notebook(path: str, data: bytes, diagnostics: Sequence[Diagnostic]) -> Tuple[bytes, List[Diagnostic], str]:
    from masklint.notebook import Notebook, NotebookError

    try:
        nb = Notebook.from_bytes(data)
        sources, fixed = plan_notebook_fixes(nb, sorted(diagnostics, key=Diagnostic.sort_key))
        if not fixed:
            return data, [], ""
        payload = nb.with_sources(sources)
    except NotebookError as exc:
        raise EditError(str(exc)) from None
    diff = []
    for cell in nb.cells:
        if cell.index in sources:
            diff += difflib.unified_diff(cell.text.splitlines(keepends=True),
                                         sources[cell.index].splitlines(keepends=True),
                                         fromfile=f"a/{path.lstrip('/')}:cell {cell.index}",
                                         tofile=f"b/{path.lstrip('/')}:cell {cell.index}")
    return payload, fixed, "".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in diff)


def _decode(data: bytes) -> Tuple[str, str]:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding), encoding


def fix_file(path: str, diagnostics: Sequence[Diagnostic], write: bool,
             expected_hash: Optional[str] = None) -> FileFix:
    """Apply the fixes of ``diagnostics`` (all for ``path``); ``write=False`` only diffs."""
    result = FileFix(path)
    real = os.path.realpath(path)
    try:
        with open(real, "rb") as f:
            data = f.read()
        if expected_hash is not None and content_hash(data) != expected_hash:
            raise EditError("the file changed while it was being linted")
        if path.endswith(".ipynb"):
            payload, fixed, diff_text = _fix_notebook(path, data, diagnostics)
            if fixed and write:
                atomic_write_bytes(Path(real), payload, stat.S_IMODE(os.stat(real).st_mode))
            result.fixed, result.diff = fixed, diff_text
            return result
        old, encoding = _decode(data)
        new, fixed = plan_fixes(old, sorted(diagnostics, key=Diagnostic.sort_key))
        if not fixed or new == old:
            return result
        payload = new.encode(encoding)
        if write:
            mode = stat.S_IMODE(os.stat(real).st_mode)
            atomic_write_bytes(Path(real), payload, mode)
    except (EditError, OSError, SyntaxError, UnicodeError, LookupError) as exc:
        result.error = str(exc) if not isinstance(exc, OSError) else (exc.strerror or str(exc))
        return result
    result.fixed = fixed
    diff = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                fromfile=f"a/{path.lstrip('/')}", tofile=f"b/{path.lstrip('/')}")
    result.diff = "".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in diff)
    return result
