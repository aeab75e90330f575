"""The incident catalogue, reconstructed: ``tests/heldout/incidents`` holds, for each user-code
row of the bug catalogue, a module with the bug (``<id>_bug.py``) and one with its project's fix
(``<id>_fixed.py``), written by someone who had not read masklint's code.

``docs/incidents.md`` says, row by row, whether masklint catches the reconstruction (its *blind*
column).  These tests hold the page to that: every reconstruction marked caught gets at least
one finding, every one marked missed gets none (so a newly caught incident fails until the page
says so), and no fixed version gets a finding at all.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from masklint.engine import Project, check_source
from test_cases import default_static_codes

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "heldout" / "incidents"
PAGE = ROOT / "docs" / "incidents.md"
ROW = re.compile(r"^\| (P\d+-\d+) \|")


def _page_rows():
    rows = {}
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows[m.group(1)] = cells
    return rows


ROWS = _page_rows()
BUGS = sorted(CORPUS.glob("*_bug.py"), key=lambda p: [int(x) for x in re.findall(r"\d+", p.name)])


def _findings(path: Path):
    codes = default_static_codes()
    result = check_source(path.read_text(encoding="utf-8"), str(path), Project([CORPUS]))
    return [d for d in result.diagnostics if d.code in codes]


def test_the_page_accounts_for_every_user_code_row():
    catalogue = ROOT.parent / "shared" / "real-bug-catalogue.md"
    if not catalogue.exists():
        pytest.skip("the shared bug catalogue is not beside this checkout")
    text = catalogue.read_text(encoding="utf-8").split("## Library-internal")[0]
    ids = set(re.findall(r"^\|(P\d+-\d+)\|", text, flags=re.M))
    assert ids and ids == set(ROWS), sorted(ids ^ set(ROWS))


@pytest.mark.parametrize("bug", BUGS, ids=lambda p: p.name[: -len("_bug.py")])
def test_reconstruction_is_caught_as_the_page_says(bug: Path):
    iid = bug.name[: -len("_bug.py")]
    assert iid in ROWS, f"{iid} has a reconstruction but no row in docs/incidents.md"
    blind = ROWS[iid][5]
    found = _findings(bug)
    if blind.startswith("yes"):
        assert found, f"{iid}: docs/incidents.md says caught; masklint reports nothing"
    else:
        assert blind.startswith("no"), f"{iid}: blind column {blind!r}"
        assert not found, f"{iid} is now caught ({[(d.line, d.code) for d in found]}): update docs/incidents.md"


@pytest.mark.parametrize("fixed", sorted(CORPUS.glob("*_fixed.py")), ids=lambda p: p.name[: -len("_fixed.py")])
def test_fixed_version_is_silent(fixed: Path):
    found = _findings(fixed)
    assert not found, [(d.line, d.code, d.message) for d in found]
