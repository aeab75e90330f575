"""Every rule has a page ``rules/<CODE>.md`` and every page's examples are tests.

Page format (Ruff style)::

    # ML101: keep-mask-to-block-api
    ## What it does
    ## Why is this bad?
    ## Example              one ```python block: a module the linter must flag
    ## Use instead          one ```python block: the corrected module, no finding at all
    ## How the runtime confirms it
    (optional: ## Fix safety, ## Options, ## See also)

In the Example, the flagged lines carry ``# expect: ML101`` (several codes: ``# expect: ML101,
ML203``).  The set of (line, code) the engine reports for the Example, over every default-enabled
static code plus the page's own code, must equal the set of expect comments.  The Use-instead
module must produce no finding at all, opt-in codes included.

ML900's Example does not parse: ``check_source`` must raise ``ParseFailure``.  Pages of the
runtime-only codes (ML6xx) carry the marker ``<!-- masklint-test: runtime-only ... -->``; their
examples run under ``masklint.instrument()`` and are only compiled here.

The engine is under development: a failing example here is a to-do for the engine.
"""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

from masklint.engine import ParseFailure, check_source
from masklint.rules import all_rules

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"

REQUIRED_SECTIONS = (
    "What it does",
    "Why is this bad?",
    "Example",
    "Use instead",
    "How the runtime confirms it",
)
OPTIONAL_SECTIONS = ("Fix safety", "Options", "See also")
RUNTIME_MARKER = "<!-- masklint-test: runtime-only"

TITLE_RE = re.compile(r"^# (?P<code>ML\d{3}): (?P<name>[a-z0-9]+(?:-[a-z0-9]+)*)\s*$")
EXPECT_RE = re.compile(r"#\s*expect:\s*(?P<codes>ML\d{3}(?:\s*,\s*ML\d{3})*)\s*$")
FENCE_RE = re.compile(r"^```python\s*\n(?P<body>.*?)^```\s*$", re.S | re.M)

RULES = {r.code: r for r in all_rules()}


class Page:
    def __init__(self, path: Path):
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        lines = self.text.splitlines()
        m = TITLE_RE.match(lines[0]) if lines else None
        self.code = m.group("code") if m else None
        self.name = m.group("name") if m else None
        self.runtime_only = RUNTIME_MARKER in self.text
        self.sections: Dict[str, str] = {}
        self.order: List[str] = []
        current = None
        buf: List[str] = []
        for line in lines[1:]:
            if line.startswith("## "):
                if current is not None:
                    self.sections[current] = "\n".join(buf)
                current = line[3:].strip()
                self.order.append(current)
                buf = []
            elif current is not None:
                buf.append(line)
        if current is not None:
            self.sections[current] = "\n".join(buf)

    def code_blocks(self, section: str) -> List[str]:
        return [m.group("body") for m in FENCE_RE.finditer(self.sections.get(section, ""))]

    def block(self, section: str) -> str:
        blocks = self.code_blocks(section)
        assert len(blocks) == 1, f"{self.path.name}: '## {section}' needs exactly one ```python block, has {len(blocks)}"
        return blocks[0]


def parse_expectations(source: str) -> Set[Tuple[int, str]]:
    out: Set[Tuple[int, str]] = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            m = EXPECT_RE.search(tok.string)
            if m:
                for code in re.split(r"\s*,\s*", m.group("codes")):
                    out.add((tok.start[0], code))
    return out


def expectations_by_regex(source: str) -> Set[Tuple[int, str]]:
    """For sources that may not tokenize (ML900)."""
    out = set()
    for n, line in enumerate(source.splitlines(), 1):
        m = EXPECT_RE.search(line)
        if m:
            out |= {(n, c) for c in re.split(r"\s*,\s*", m.group("codes"))}
    return out


def default_static_codes() -> Set[str]:
    return {c for c, r in RULES.items() if r.default and not r.runtime_only}


def describe(source: str, expected, diags) -> str:
    lines = source.splitlines()
    got = {(d.line, d.code) for d in diags}
    out = []
    for ln, code in sorted(expected - got):
        out.append(f"  expected, not reported: {ln:>3} {code} | {lines[ln - 1].strip() if ln <= len(lines) else ''}")
    for d in sorted(diags, key=lambda d: (d.line, d.code)):
        if (d.line, d.code) not in expected:
            src = lines[d.line - 1].strip() if 0 < d.line <= len(lines) else ""
            out.append(f"  reported, not expected: {d.line:>3} {d.code} | {src}\n      -> {d.message}")
    return "\n".join(out)


PAGES = sorted(RULES_DIR.glob("ML*.md"))
PAGE_IDS = [p.stem for p in PAGES]


def _page(path: Path) -> Page:
    return Page(path)


# --- structure -------------------------------------------------------------------------------


def test_every_registered_rule_has_a_page():
    missing = sorted(set(RULES) - {p.stem for p in PAGES})
    assert not missing, f"rules without a page in rules/: {missing}"


@pytest.mark.parametrize("path", PAGES, ids=PAGE_IDS)
def test_page_structure(path: Path):
    page = _page(path)
    assert page.code == path.stem, f"{path.name}: first line must be '# {path.stem}: <name>'"
    assert page.code in RULES, f"{path.name}: no registered rule {page.code}"
    rule = RULES[page.code]
    assert page.name == rule.name, f"{path.name}: title names {page.name!r}, the rule is {rule.name!r}"
    missing = [s for s in REQUIRED_SECTIONS if s not in page.sections]
    assert not missing, f"{path.name}: missing sections {missing}"
    unknown = [s for s in page.order if s not in REQUIRED_SECTIONS + OPTIONAL_SECTIONS]
    assert not unknown, f"{path.name}: unexpected sections {unknown}"
    required_order = [s for s in page.order if s in REQUIRED_SECTIONS]
    assert required_order == list(REQUIRED_SECTIONS), f"{path.name}: sections out of order: {page.order}"
    assert len(page.order) == len(set(page.order)), f"{path.name}: repeated section"
    for s in REQUIRED_SECTIONS:
        assert page.sections[s].strip(), f"{path.name}: empty section '## {s}'"
    assert page.runtime_only == rule.runtime_only, (
        f"{path.name}: the runtime-only marker must be present exactly on runtime-only rules"
    )
    example = page.block("Example")
    fixed = page.block("Use instead")
    if not rule.runtime_only and page.code != "ML900":
        expected = parse_expectations(example)
        assert expected, f"{path.name}: the Example has no '# expect:' comment"
        assert any(c == page.code for _, c in expected), f"{path.name}: the Example never expects {page.code}"
        assert {c for _, c in expected} <= set(RULES), f"{path.name}: expect names unknown codes"
        assert not parse_expectations(fixed), f"{path.name}: 'Use instead' must not carry expect comments"
        n = len(example.splitlines())
        assert 8 <= n <= 45, f"{path.name}: keep the Example small (it has {n} lines)"


@pytest.mark.parametrize("path", PAGES, ids=PAGE_IDS)
def test_examples_are_valid_python(path: Path):
    page = _page(path)
    fixed = page.block("Use instead")
    compile(fixed, f"{path.name}:Use instead", "exec")
    example = page.block("Example")
    if page.code == "ML900":
        with pytest.raises(SyntaxError):
            compile(example, f"{path.name}:Example", "exec")
    else:
        compile(example, f"{path.name}:Example", "exec")


# --- the examples against the engine -------------------------------------------------------

STATIC_PAGES = [p for p in PAGES if p.stem in RULES and not RULES[p.stem].runtime_only]


@pytest.mark.parametrize("path", STATIC_PAGES, ids=[p.stem for p in STATIC_PAGES])
def test_example_is_flagged(path: Path):
    page = _page(path)
    example = page.block("Example")
    if page.code == "ML900":
        assert expectations_by_regex(example), "ML900's Example marks the broken line"
        with pytest.raises(ParseFailure) as info:
            check_source(example, f"rules/{path.name}:Example")
        assert info.value.line >= 1
        return
    expected = parse_expectations(example)
    considered = default_static_codes() | {page.code} | {c for _, c in expected}
    diags = [d for d in lint(example, f"rules/{path.name}:Example", page.code) if d.code in considered]
    got = {(d.line, d.code) for d in diags}
    assert got == expected, f"rules/{path.name} Example:\n" + describe(example, expected, diags)


@pytest.mark.parametrize("path", STATIC_PAGES, ids=[p.stem for p in STATIC_PAGES])
def test_use_instead_is_clean(path: Path):
    page = _page(path)
    fixed = page.block("Use instead")
    diags = lint(fixed, f"rules/{path.name}:Use instead", page.code)
    assert not diags, f"rules/{path.name} 'Use instead' is not clean:\n" + describe(fixed, set(), diags)


def lint(source: str, name: str, code: str):
    """The engine's diagnostics; for rules the runner reports after suppression (ML901), the
    runner's, with every rule enabled."""
    if RULES[code].analysis:
        return check_source(source, name).diagnostics
    from masklint.config import Settings
    from masklint.runner import lint_source

    settings = Settings().finalize()
    settings.enabled = frozenset(RULES)
    return lint_source(source.encode(), name, settings, None).diagnostics
