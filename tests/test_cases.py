"""The hand-written corpus under ``tests/cases``, bugbear eval_files style.

Every module states what the linter must report next to the code: a trailing comment
``# expect: ML101`` (or ``# expect: ML101, ML203``) on the exact line of the finding.  The
anchoring convention the engine follows:

* a finding about a mask is reported on the line where the mask *argument* expression starts
  at the consuming call (``attn_mask=mask`` or the positional argument); when the mask reaches
  the attention call through a user function or module (``block(x, mask)``), on the argument
  line of that call in the caller;
* ML401 / ML502, and ML402 / ML403 about a flag, on the line where the attention call starts;
* ML205 on the line of the large negative constant;
* ML102 for a flex ``mask_mod``: on the line of the mask_mod argument of create_block_mask /
  create_mask.

Files are ``buggy_*.py`` (at least one expectation) or ``ok_*.py`` (none: correct code that must
stay silent).  Directories ``pkg_*`` are small projects analysed together
(``masklint.engine.Project([dir])``), so that helpers imported from a sibling module are followed.
Opt-in codes are compared only when the file says so in a header comment
``# masklint-test: select=ML204``.

The engine is under development: a failing case here is a to-do for the engine, not a reason
to weaken the expectation.
"""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path
from typing import Dict, Iterable, List, Set, Tuple

import pytest

from masklint.engine import Project, check_source
from masklint.rules import all_rules

CASES = Path(__file__).parent / "cases"

EXPECT_RE = re.compile(r"#\s*expect:\s*(?P<codes>ML\d{3}(?:\s*,\s*ML\d{3})*)\s*$")
SELECT_RE = re.compile(r"#\s*masklint-test:\s*select=(?P<codes>ML\d{3}(?:\s*,\s*ML\d{3})*)")


def known_codes() -> Set[str]:
    return {r.code for r in all_rules()}


def default_static_codes() -> Set[str]:
    return {r.code for r in all_rules() if r.default and not r.runtime_only and r.analysis}


def parse_expectations(source: str) -> Set[Tuple[int, str]]:
    """(line, code) pairs from ``# expect:`` comments (comments only, never strings)."""
    out: Set[Tuple[int, str]] = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.COMMENT:
            continue
        m = EXPECT_RE.search(tok.string)
        if m:
            for code in re.split(r"\s*,\s*", m.group("codes")):
                out.add((tok.start[0], code))
        elif "expect" in tok.string and "ML" in tok.string:
            raise AssertionError(f"malformed expect comment on line {tok.start[0]}: {tok.string!r}")
    return out


def selected_opt_in(source: str) -> Set[str]:
    codes: Set[str] = set()
    for line in source.splitlines()[:10]:
        m = SELECT_RE.search(line)
        if m:
            codes.update(re.split(r"\s*,\s*", m.group("codes")))
    return codes


def format_diff(path: Path, source: str, expected: Set[Tuple[int, str]], diags) -> str:
    lines = source.splitlines()
    got = {(d.line, d.code) for d in diags}
    by_key: Dict[Tuple[int, str], List[str]] = {}
    for d in diags:
        by_key.setdefault((d.line, d.code), []).append(d.message)

    def src(n: int) -> str:
        return lines[n - 1].strip() if 0 < n <= len(lines) else "<no such line>"

    out = [f"{path}: findings differ from the # expect: comments"]
    missing = sorted(expected - got)
    extra = sorted(got - expected)
    if missing:
        out.append("  expected, not reported:")
        out += [f"    {ln:>4} {code}  | {src(ln)}" for ln, code in missing]
    if extra:
        out.append("  reported, not expected:")
        for ln, code in extra:
            out.append(f"    {ln:>4} {code}  | {src(ln)}")
            out += [f"           -> {msg}" for msg in by_key[(ln, code)]]
    matched = sorted(expected & got)
    if matched:
        out.append("  matched: " + ", ".join(f"{ln}:{code}" for ln, code in matched))
    return "\n".join(out)


def check_file(path: Path, project=None) -> Tuple[str, Set[Tuple[int, str]], list]:
    source = path.read_text(encoding="utf-8")
    expected = parse_expectations(source)
    unknown = {c for _, c in expected} - known_codes()
    assert not unknown, f"{path}: expect comments name unknown codes {sorted(unknown)}"
    considered = default_static_codes() | selected_opt_in(source)
    result = check_source(source, str(path), project=project)
    diags = [d for d in result.diagnostics if d.code in considered]
    return source, expected, diags


def _units() -> Iterable:
    for path in sorted(CASES.glob("*.py")):
        yield pytest.param(path, None, id=path.name)
    for pkg in sorted(p for p in CASES.glob("pkg_*") if p.is_dir()):
        for path in sorted(pkg.rglob("*.py")):
            yield pytest.param(path, pkg, id=f"{pkg.name}/{path.relative_to(pkg)}")


UNITS = list(_units())


@pytest.mark.parametrize("path,pkg", UNITS)
def test_case(path: Path, pkg):
    project = Project([pkg]) if pkg is not None else None
    source, expected, diags = check_file(path, project)
    got = {(d.line, d.code) for d in diags}
    assert got == expected, format_diff(path.relative_to(CASES.parent.parent), source, expected, diags)


# --- sanity of the corpus itself (these pass without an engine) -------------------------------


def test_corpus_is_big_enough():
    assert len(list(CASES.glob("buggy_*.py"))) >= 15
    assert len(list(CASES.glob("ok_*.py"))) >= 15
    assert len([p for p in CASES.glob("pkg_*") if p.is_dir()]) >= 3


@pytest.mark.parametrize("path,pkg", UNITS)
def test_case_file_is_well_formed(path: Path, pkg):
    source = path.read_text(encoding="utf-8")
    compile(source, str(path), "exec")  # every case is valid Python
    expected = parse_expectations(source)
    assert {c for _, c in expected} <= known_codes()
    if pkg is None:
        assert path.name.startswith(("buggy_", "ok_")), "top-level cases are buggy_*.py or ok_*.py"
        if path.name.startswith("buggy_"):
            assert expected, "a buggy_ case needs at least one # expect: comment"
        else:
            assert not expected, "an ok_ case must not carry # expect: comments"
    for _, code in expected:
        rule = next(r for r in all_rules() if r.code == code)
        assert not rule.runtime_only, f"{code} is runtime-only; static cases cannot expect it"
        if not rule.default:
            assert code in selected_opt_in(source), f"{code} is opt-in: add '# masklint-test: select={code}'"


def test_every_static_code_is_exercised():
    seen: Set[str] = set()
    for path in CASES.rglob("*.py"):
        seen |= {c for _, c in parse_expectations(path.read_text(encoding="utf-8"))}
    wanted = default_static_codes() - {"ML900"}
    assert wanted <= seen, f"codes without a buggy case: {sorted(wanted - seen)}"
