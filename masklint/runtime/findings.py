"""What the runtime checker reports.  Torch-free: the pytest plugin imports this without torch."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List


class MaskLintWarning(UserWarning):
    """Emitted by ``instrument(mode="warn")``, once per call site and code."""


class MaskLintError(Exception):
    """Raised by ``instrument(mode="raise")`` on a confirmed finding."""

    def __init__(self, finding: "Finding"):
        super().__init__(finding.format())
        self.finding = finding


@dataclass
class Finding:
    code: str
    name: str
    message: str
    path: str  # the user's call site: first frame outside torch and masklint
    line: int
    confirmed: bool  # an experiment on the real tensors (or the API's own rules) proved it
    evidence: str = ""  # what the experiment saw, with a picture of small masks
    api: str = ""  # e.g. "nn.MultiheadAttention"
    param: str = ""  # the mask parameter concerned, when there is one
    source: str = "runtime"  # "runtime", "static" (a linter finding re-checked on this call) or both
    refuted: bool = False  # a static finding the experiment contradicted
    ranks: List[int] = field(default_factory=list)  # distributed runs: the ranks it occurred on
    rank_note: str = ""  # "on rank 1 only", "on every rank" (set when ranks are merged)

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)

    @property
    def status(self) -> str:
        return "confirmed" if self.confirmed else ("refuted" if self.refuted else "not confirmed")

    def format(self, evidence: bool = True, legend: bool = True) -> str:
        """The finding, with its evidence indented below; ``legend``: explain the pictures'
        symbols here (a report of several findings explains them once, at its end)."""
        ranks = f" ({self.rank_note})" if self.rank_note else ""
        head = f"{self.path}:{self.line}: {self.code} [{self.status}]{ranks} {self.message}"
        if not (evidence and self.evidence):
            return head
        body = "\n".join("    " + line for line in self.evidence.splitlines())
        if legend:
            from masklint.runtime.report import LEGEND, has_picture

            if has_picture(self.evidence):
                body += "\n    " + LEGEND
        return f"{head}\n{body}"


def rule_name(code: str) -> str:
    from masklint.rules import get_rule

    rule = get_rule(code)
    return rule.name if rule else code.lower()
