"""Entry point of the static analysis: source text in, diagnostics out.

The CLI, the flake8 plugin and the runtime hook all call :func:`check_source`.  It reports
every static rule (default and opt-in); selection, suppression comments and output formats
are the caller's business (``masklint.runner``).
"""
from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection, List, Optional, Sequence

import libcst as cst

from masklint.diagnostics import Diagnostic

# A module that mentions none of these can neither build nor consume an attention mask.
_INTERESTING = re.compile(r"mask|attn|ttention|causal|Transformer|tril|triu|band_part|scaled_dot_product")


def _python_syntax_check(source: str) -> None:
    """Raise ParseFailure with CPython's own message if the source is not valid Python."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences etc. are not ours to report
            ast.parse(source)
    except SyntaxError as e:
        raise ParseFailure(f"SyntaxError: {e.msg}", e.lineno or 1, (e.offset or 0) or 1) from None
    except (ValueError, RecursionError, MemoryError) as e:
        raise ParseFailure(f"cannot parse: {e}") from None


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

    def __init__(self, roots: Sequence[Path] = (), settings=None):
        self.roots = [Path(r).resolve() for r in roots]
        self.settings = settings
        self._index = None

    def index(self):
        from masklint.analysis.modules import ProjectIndex

        if self._index is None:
            self._index = ProjectIndex(self.roots, self.settings)
        return self._index


def check_source(source: str, path: str, project: Optional[Project] = None,
                 codes: Optional[Collection[str]] = None) -> CheckResult:
    """Analyse one module with the static rules in ``codes`` (default: every static rule, the
    opt-in ones included).  Raises :class:`ParseFailure` for code that does not parse."""
    if not _INTERESTING.search(source):
        _python_syntax_check(source)  # nothing to analyse, but a syntax error is still reported
        return CheckResult([])
    try:
        tree = cst.parse_module(source)
    except cst.ParserSyntaxError as e:
        _python_syntax_check(source)  # CPython's message and position are the ones users know
        raise ParseFailure(f"cannot parse: {e.message}", e.raw_line, e.raw_column + 1) from None
    except (RecursionError, MemoryError) as e:
        raise ParseFailure(f"cannot parse: {type(e).__name__}") from None

    from masklint.analysis.interp import Interpreter
    from masklint.analysis.modules import ModuleInfo, module_name_for
    from masklint.rules.base import all_rules

    if project is None:
        project = Project([Path(path).resolve().parent])
    index = project.index()
    modname = module_name_for(Path(path), index.roots)
    info = ModuleInfo(source, path, tree, modname, index)
    index.register(info, replace=True)
    index.accessed = set()
    rules = [cls() for cls in all_rules() if not cls.runtime_only and cls.analysis
             and (codes is None or cls.code in codes)]
    interp = Interpreter(rules, index)
    try:
        findings = interp.run_module(info)
    except RecursionError:
        raise ParseFailure("not analysed: expressions nested too deeply") from None

    diags: List[Diagnostic] = []
    seen = set()
    registry = {cls.code: cls for cls in all_rules()}
    for f in findings:
        if f.module is not info:
            continue
        key = (f.code, id(f.node))
        if key in seen:
            continue
        seen.add(key)
        pos = info.position(f.node)
        if pos is None:
            continue
        rule = registry[f.code]
        edits = _edits(info, f.fix) if f.fix is not None else None
        diags.append(
            Diagnostic(
                code=f.code,
                name=rule.name,
                message=f.full_message(),
                path=path,
                line=pos.start.line,
                column=pos.start.column + 1,
                end_line=pos.end.line,
                end_column=pos.end.column + 1,
                severity=rule.severity,
                fix=edits,
                fix_applicability="unsafe" if edits else None,
                fix_title=f.fix[0] if edits else None,
                evidence=[f"{e.module.shown_from(info)}:{e.module.line_of(e.node)}: {e.text}"
                          for e in (f.value.evidence if f.value is not None else ())],
            )
        )
    diags.sort(key=Diagnostic.sort_key)
    deps = sorted(p for p in index.accessed if p != info.path)
    return CheckResult(diags, deps)


def _edits(info, fix) -> Optional[List[dict]]:
    """Text edits (1-based, end exclusive) for a finding's fix, or None if a node is not in this file."""
    out = []
    for node, replacement in fix[1]:
        pos = info.position(node)
        if pos is None:
            return None
        out.append({"line": pos.start.line, "column": pos.start.column + 1, "end_line": pos.end.line,
                    "end_column": pos.end.column + 1, "replacement": replacement})
    return out or None
