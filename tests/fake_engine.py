"""A stand-in for ``masklint.engine.check_source`` for the CLI/runner plumbing tests.

It reports what the source asks for, so tests control findings exactly:

* ``bug_ML101`` (any code) anywhere on a line -> that code at that position;
* ``fixme_ML101`` -> that code with a fix replacing the marker by ``fixed``; ``unsafe_ML101``
  -> the same fix, marked unsafe (applied with ``--unsafe-fixes`` only);
* ``# dep: other.py`` -> ``other.py`` (relative to the file) in ``CheckResult.deps``;
* ``raise_internal`` -> RuntimeError; real syntax errors -> ``ParseFailure``.

``install()`` patches the engine (used by subprocess runs: ``python -c "import fake_engine;
fake_engine.install(); ..."``); in-process tests use the ``fake_engine`` fixture instead.
"""
from __future__ import annotations

import ast
import os
import re

from masklint import engine
from masklint.diagnostics import Diagnostic
from masklint.rules.base import get_rule

_BUG = re.compile(r"\b(bug|fixme|unsafe)_(ML\d{3})\b")
_DEP = re.compile(r"#\s*dep:\s*(\S+)")
calls = []


def check_source(source, path, project=None, codes=None):
    calls.append(path)
    try:
        ast.parse(source)
    except SyntaxError as exc:
        raise engine.ParseFailure(f"SyntaxError: {exc.msg}", exc.lineno or 1, exc.offset or 1) from None
    if "raise_internal" in source:
        raise RuntimeError("boom")
    diags = []
    for lineno, text in enumerate(source.splitlines(), 1):
        for m in _BUG.finditer(text):
            rule = get_rule(m.group(2))
            fix = None
            if m.group(1) in ("fixme", "unsafe"):
                fix = [{"line": lineno, "column": m.start() + 1, "end_line": lineno,
                        "end_column": m.end() + 1, "replacement": "fixed"}]
            diags.append(Diagnostic(rule.code, rule.name, f"fake {rule.code} finding", path, lineno,
                                    m.start() + 1, lineno, m.end() + 1, rule.severity, fix,
                                    evidence=[{"path": None, "line": lineno, "text": "marker"}],
                                    fix_applicability="unsafe" if m.group(1) == "unsafe" else None,
                                    fix_title="Replace the marker" if fix else None))
    deps = {os.path.join(os.path.dirname(path), d): None for d in _DEP.findall(source)}  # their code
    return engine.CheckResult(diags, deps)


def install():
    engine.check_source = check_source
