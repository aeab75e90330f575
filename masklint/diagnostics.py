"""The finding type every output format, the CLI, the flake8 plugin and the runtime share."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional


@dataclass
class Diagnostic:
    code: str
    name: str
    message: str
    path: str
    line: int
    column: int  # 1-based, like Ruff and flake8's text output
    end_line: int
    end_column: int
    severity: str  # "error" | "warning"
    fix: Optional[List[Dict[str, Any]]] = None  # None, or a list of text edits
    evidence: List[str] = field(default_factory=list)  # the chain that produced the mask
    # "safe" (keeps the program's meaning) or "unsafe" (changes results: applied only with
    # --unsafe-fixes, as in Ruff); None when there is no fix
    fix_applicability: Optional[str] = None
    fix_title: Optional[str] = None

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)

    def sort_key(self):
        return (self.path, self.line, self.column, self.code)
