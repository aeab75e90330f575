"""Fixes: every masklint fix changes results (it fixes a bug), so all are "unsafe" in Ruff's
sense and are applied only with ``--fix --unsafe-fixes``.  Each fix must make its finding go away."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from masklint.diagnostics import Diagnostic
from masklint.edits import fix_file
from masklint.engine import check_source

from tests.test_rule_pages import _page

ROOT = Path(__file__).resolve().parent.parent
FIXABLE = {"ML101", "ML102", "ML302", "ML501"}


def _fixed_source(tmp_path: Path, source: str, code: str) -> str:
    path = tmp_path / "example.py"
    path.write_text(source)
    diags = [d for d in check_source(source, str(path)).diagnostics if d.code == code]
    assert diags and all(d.fix and d.fix_applicability == "unsafe" for d in diags), diags
    result = fix_file(str(path), diags, write=True)
    assert result.error is None and result.fixed
    return path.read_text()


@pytest.mark.parametrize("code", sorted(FIXABLE))
def test_fix_removes_the_finding_on_the_rule_page_example(tmp_path, code):
    example = _page(ROOT / "rules" / f"{code}.md").block("Example")
    fixed = _fixed_source(tmp_path, example, code)
    assert fixed != example
    after = {d.code for d in check_source(fixed, str(tmp_path / "example.py")).diagnostics}
    assert code not in after, fixed


def test_invert_fix_parenthesises_a_compound_expression(tmp_path):
    src = (
        "import torch\nimport torch.nn.functional as F\n"
        "def f(q, k, v, ids, pad_id):\n"
        "    L = q.size(-2)\n"
        "    future = torch.ones(L, L, dtype=torch.bool).triu(1)\n"
        "    padded = (ids == pad_id)[:, None, None, :]\n"
        "    return F.scaled_dot_product_attention(q, k, v, attn_mask=future | padded)\n"
    )
    fixed = _fixed_source(tmp_path, src, "ML102")
    assert "attn_mask=~(future | padded)" in fixed
    assert not [d for d in check_source(fixed, "x.py").diagnostics if d.code == "ML102"]


def test_no_fix_for_integer_masks():
    src = (
        "import torch.nn as nn\n"
        "attn = nn.MultiheadAttention(8, 2, batch_first=True)\n"
        "def f(x, batch):\n"
        "    return attn(x, x, x, key_padding_mask=batch['attention_mask'])\n"
    )
    diags = [d for d in check_source(src, "x.py").diagnostics if d.code == "ML101"]
    assert diags and diags[0].fix is None  # `~` on an int tensor is a bitwise not


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "masklint", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True)


def test_unsafe_fixes_need_the_flag(tmp_path):
    project = tmp_path / "examples"
    shutil.copytree(ROOT / "fixtures" / "examples", project, ignore=shutil.ignore_patterns("__pycache__"))
    before = {p.name: p.read_text() for p in project.glob("*.py")}

    r = _cli("--fix", str(project), cwd=tmp_path)
    assert r.returncode == 1
    assert {p.name: p.read_text() for p in project.glob("*.py")} == before
    assert "--unsafe-fixes" in r.stdout

    r = _cli("--fix", "--unsafe-fixes", str(project), cwd=tmp_path)
    assert r.returncode == 1, r.stderr  # some findings have no mechanical fix
    assert "fixed" in r.stdout
    after = {p.name: p.read_text() for p in project.glob("*.py")}
    assert after != before
    assert "repeat_interleave(self.n_head, dim=0)" in after["encoder.py"]
    r = _cli("--format", "json", str(project), cwd=tmp_path)
    import json

    left = {d["code"] for d in json.loads(r.stdout)}
    assert "ML302" not in left and "ML303" in left
