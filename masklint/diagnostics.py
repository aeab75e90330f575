"""The finding type every output format, the CLI, the flake8 plugin, the language server and
the runtime share."""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Dict, List, Optional


@dataclass
class Diagnostic:
    code: str
    name: str
    message: str  # short: what is wrong, naming the mask and the API
    path: str
    line: int  # 1-based; in a notebook, the line within ``cell``
    column: int  # 1-based, like Ruff and flake8's text output
    end_line: int
    end_column: int
    severity: str  # "error" | "warning"
    fix: Optional[List[Dict[str, Any]]] = None  # None, or a list of text edits
    # the chain that produced the mask, in order: {"path": str | None (this file), "line": int | None,
    # "text": str} (+ "cell" in a notebook)
    evidence: List[Dict[str, Any]] = field(default_factory=list)
    # "safe" (keeps the program's meaning) or "unsafe" (changes results: applied only with
    # --unsafe-fixes, as in Ruff); None when there is no fix
    fix_applicability: Optional[str] = None
    fix_title: Optional[str] = None
    help: Optional[str] = None  # what to write instead
    note: Optional[str] = None  # what goes wrong at run time
    picture: Optional[str] = None  # the mask as the API reads it (rows = queries, columns = keys)
    cell: Optional[int] = None  # a notebook's cell (1-based, every cell counted), or None
    end_cell: Optional[int] = None

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)

    def sort_key(self):
        return (self.path, self.cell or 0, self.line, self.column, self.code)

    @property
    def location(self) -> str:
        """``path:line:column``, or ``path:cell N:line:column`` in a notebook (as Ruff)."""
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{self.path}:{cell}{self.line}:{self.column}"

    def localize(self, display: Callable[[str], str]) -> None:
        """Evidence paths as a reader wants them: this file's steps carry its own path, other
        modules' absolute paths go through ``display``."""
        for step in self.evidence:
            p = step.get("path")
            step["path"] = self.path if p is None else display(p) if os.path.isabs(p) else p


def evidence_text(step: Dict[str, Any]) -> str:
    """One evidence step as text: ``path:line: text`` (``path:cell N:line: text`` in a notebook)."""
    if step.get("line") is None:
        return step["text"]
    cell = f"cell {step['cell']}:" if step.get("cell") is not None else ""
    return f"{step['path']}:{cell}{step['line']}: {step['text']}"
