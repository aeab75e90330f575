"""Pictures of masks as the API reads them, and the text report of a session."""
from __future__ import annotations

import re
from typing import Iterable, List, Set, Tuple

MAX_SIDE = 16
ATTENDED, BLOCKED, WRONG = ".", "#", "X"
LEGEND = f"(pictures: {ATTENDED} attended, {BLOCKED} blocked, {WRONG} a cell an experiment proved wrong)"
_GRID_HEADER = re.compile(r"^ {3,}0[0-9]*\n +0 ", re.M)  # the column ruler, then row 0


def has_picture(text: str) -> bool:
    return bool(_GRID_HEADER.search(text))


def picture(keep, title: str, marks: Set[Tuple[int, int]] = frozenset()) -> str:
    """Draw a (rows, cols) bool keep matrix: rows = queries (or samples), cols = keys.

    '.' attended, '#' blocked, 'X' a cell an experiment proved wrong.  Larger masks get a
    one-line summary instead.
    """
    keep = keep.detach().to("cpu").bool()
    while keep.dim() > 2:
        keep = keep[0]
    if keep.dim() == 1:
        keep = keep[None]
    rows, cols = keep.shape
    attended = int(keep.sum())
    if rows > MAX_SIDE or cols > MAX_SIDE:
        return (f"{title}: {rows}x{cols}, {attended} of {rows * cols} cells attended, "
                f"{int((~keep.any(-1)).sum())} row(s) attend nothing; {describe(keep)}")
    grid = keep.tolist()
    width = len(str(rows - 1))
    header = " " * (width + 3) + "".join(str(j % 10) for j in range(cols))
    lines = [f"{title}:", header]
    for i, row in enumerate(grid):
        cells = "".join(WRONG if (i, j) in marks else (ATTENDED if v else BLOCKED) for j, v in enumerate(row))
        lines.append(f"  {i:>{width}} {cells}")
    return "\n".join(lines)


def describe(keep) -> str:
    """A word for the structure of a square keep matrix."""
    import torch

    rows, cols = keep.shape
    if bool(keep.all()):
        return "full"
    if not bool(keep.any()):
        return "empty"
    if rows == cols:
        ones = torch.ones(rows, cols, dtype=torch.bool)
        for name, ref in (("causal (lower-triangular)", ones.tril()), ("causal without diagonal", ones.tril(-1)),
                          ("anti-causal (upper-triangular)", ones.triu()),
                          ("strictly future only", ones.triu(1))):
            if torch.equal(keep, ref):
                return name
    return "irregular"


def format_report(findings: Iterable, notes: Iterable[str] = (), errors: Iterable[str] = (),
                  evidence: bool = True, show_refuted: bool = False) -> str:
    """The text report.  Static findings that an experiment refuted are counted, not shown,
    unless ``show_refuted`` (``session.report(show_refuted=True)``)."""
    findings = list(findings)
    shown = [f for f in findings if show_refuted or not f.refuted]
    lines: List[str] = [f.format(evidence, legend=False) for f in shown]
    if evidence and any(has_picture(f.evidence) for f in shown):
        lines.append(LEGEND)
    confirmed = sum(f.confirmed for f in findings)
    refuted = sum(f.refuted for f in findings)
    lines.extend(f"note: {n}" for n in notes)
    lines.extend(f"masklint internal error (ignored): {e}" for e in errors)
    summary = f"masklint runtime: {len(findings)} finding(s), {confirmed} confirmed"
    if refuted:
        summary += f", {refuted} refuted by an experiment" + ("" if show_refuted else " (not shown)")
    lines.append(summary)
    return "\n".join(lines)
