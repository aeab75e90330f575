"""Jupyter notebooks: written with nbformat, linted by the real CLI in a subprocess, fixed and
read back with nbformat; pre-commit runs the hook of .pre-commit-hooks.yaml on them."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from masklint.notebook import Notebook, ipython_to_python

ROOT = Path(__file__).resolve().parent.parent


def notebook(*cells, language="python"):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": language}
    nb.cells = [new_markdown_cell(c[3:]) if c.startswith("md:") else new_code_cell(c) for c in cells]
    return nb


# A mask built in cell 3 (the second code cell) and misused in cell 5: the teaching-notebook bug.
CROSS_CELL = notebook(
    "md:# Causal attention",
    "%matplotlib inline\nimport torch\nimport torch.nn.functional as F",
    "T = 8\nfuture = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)  # True = future",
    "md:Now run it",
    "!nvidia-smi\nq = torch.randn(2, 4, T, 16)\nout = F.scaled_dot_product_attention(q, q, q, attn_mask=future)",
)


def lint(*args, cwd):
    return subprocess.run([sys.executable, "-m", "masklint", "--no-cache", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env={"NO_COLOR": "1", "PATH": ""})


def test_a_mask_built_in_one_cell_and_misused_in_another_is_found_with_cell_positions(tmp_path):
    nbformat.write(CROSS_CELL, tmp_path / "nb.ipynb")
    text = lint("nb.ipynb", cwd=tmp_path)
    assert text.returncode == 1
    assert text.stdout.splitlines()[0].startswith("nb.ipynb:cell 5:3:57: ML102 block mask `future`")

    (diag,) = json.loads(lint("--format", "json", "nb.ipynb", cwd=tmp_path).stdout)
    assert (diag["cell"], diag["line"], diag["column"]) == (5, 3, 57)
    assert [(s["path"], s["cell"], s["line"]) for s in diag["evidence"]] == [("nb.ipynb", 3, 2), ("nb.ipynb", 3, 2)]

    sarif = json.loads(lint("--format", "sarif", "nb.ipynb", cwd=tmp_path).stdout)
    (result,) = sarif["runs"][0]["results"]
    assert result["properties"]["cell"] == 5
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert [r["properties"]["cell"] for r in result["relatedLocations"]] == [3, 3]

    full = lint("--show-source", "nb.ipynb", cwd=tmp_path).stdout
    assert "3 | out = F.scaled_dot_product_attention(q, q, q, attn_mask=future)" in full
    assert "1. nb.ipynb:cell 3:2: torch.ones(..., dtype=torch.bool)" in full


def test_ipython_lines_are_skipped_without_shifting_positions():
    cell = ("%time x = 1\n!pip install torch\nfiles = !ls\nx?\n?x\nif x:\n    %debug\n    y = 2\n"
            "attn_mask = None")
    python = ipython_to_python(cell)
    assert python.splitlines() == ["if 1: x = 1", "pass", "pass", "pass", "pass", "if x:", "    pass", "    y = 2",
                                   "attn_mask = None"]
    assert ipython_to_python("%%bash\necho $((1 + 2))\nls") == "\n\n"
    assert ipython_to_python("%%time\nx = f(1)") == "\nx = f(1)"
    assert ipython_to_python("s = '%not a magic'\n") == "s = '%not a magic'\n"  # valid Python is kept


def test_magics_in_the_cell_of_the_finding(tmp_path):
    nb = notebook("import torch\nimport torch.nn as nn",
                  "%%time\n!echo hi\nmha = nn.MultiheadAttention(8, 2)\nx = torch.randn(4, 2, 8)\n"
                  "keep = torch.tril(torch.ones(4, 4, dtype=torch.bool))\n%timeit f()\nmha(x, x, x, attn_mask=keep)",
                  "%%bash\nattn_mask=1 python x.py")
    nbformat.write(nb, tmp_path / "m.ipynb")
    out = lint("m.ipynb", cwd=tmp_path).stdout.splitlines()
    assert out[0].startswith("m.ipynb:cell 2:7:24: ML101")
    assert "Found 1 error." in out


def test_suppression_comments_inside_cells(tmp_path):
    nb = notebook("import torch\nimport torch.nn.functional as F\nT = 4\n"
                  "future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)",
                  "q = torch.randn(1, 1, T, 8)\nF.scaled_dot_product_attention(q, q, q, attn_mask=future)  "
                  "# masklint: ignore[ML102]")
    nbformat.write(nb, tmp_path / "s.ipynb")
    result = lint("s.ipynb", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == "All checks passed!\n"


def _changed_lines(before: str, after: str):
    return [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]


@pytest.mark.parametrize("layout", ["nbformat", "indent2_ascii"])
def test_fix_touches_only_the_changed_source_lines(tmp_path, layout):
    nb = nbformat.reads(nbformat.writes(CROSS_CELL), as_version=4)  # a copy
    nb.cells[4].outputs = [new_output("stream", text="naïve output\n")]
    nb.cells[4].execution_count = 7
    nb.metadata["custom"] = {"keep": ["me", 1]}
    path = tmp_path / "fix.ipynb"
    if layout == "nbformat":
        nbformat.write(nb, path)
    else:
        path.write_text(json.dumps(nbformat.from_dict(nb), indent=2, ensure_ascii=True), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    ids = [c["id"] for c in json.loads(before)["cells"]]

    result = lint("--fix", "--unsafe-fixes", "fix.ipynb", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Found 1 error (1 fixed, 0 remaining)." in result.stdout
    after = path.read_text(encoding="utf-8")
    assert _changed_lines(before, after) == [
        (line, line.replace("attn_mask=future", "attn_mask=~future"))
        for line in before.splitlines() if "attn_mask=future" in line]
    assert len(before.splitlines()) == len(after.splitlines())
    read = nbformat.reads(after, as_version=4)
    nbformat.validate(read)
    assert [c["id"] for c in read.cells] == ids
    assert read.cells[4].outputs[0]["text"] == "naïve output\n" and read.cells[4].execution_count == 7
    assert read.metadata["custom"] == {"keep": ["me", 1]}
    assert lint("fix.ipynb", cwd=tmp_path).returncode == 0


def test_diff_names_the_cell_and_writes_nothing(tmp_path):
    nbformat.write(CROSS_CELL, tmp_path / "nb.ipynb")
    before = (tmp_path / "nb.ipynb").read_bytes()
    result = lint("--diff", "--unsafe-fixes", "nb.ipynb", cwd=tmp_path)
    assert result.returncode == 1
    assert "--- a/nb.ipynb:cell 5\n+++ b/nb.ipynb:cell 5\n" in result.stdout
    assert "+out = F.scaled_dot_product_attention(q, q, q, attn_mask=~future)" in result.stdout
    assert (tmp_path / "nb.ipynb").read_bytes() == before


def test_a_layout_json_cannot_reproduce_is_not_rewritten(tmp_path):
    nbformat.write(CROSS_CELL, tmp_path / "odd.ipynb")
    data = json.loads((tmp_path / "odd.ipynb").read_text())
    odd = json.dumps(data, indent=1, separators=(",", " : "))  # not a layout masklint writes
    (tmp_path / "odd.ipynb").write_text(odd)
    result = lint("--fix", "--unsafe-fixes", "odd.ipynb", cwd=tmp_path)
    assert result.returncode == 1 and "odd.ipynb: not fixed: its JSON layout" in result.stderr
    assert (tmp_path / "odd.ipynb").read_text() == odd


def test_bad_notebooks_are_one_ml900_line_each_and_the_run_goes_on(tmp_path):
    (tmp_path / "broken.ipynb").write_text('{"cells": [')
    (tmp_path / "v3.ipynb").write_text(json.dumps({"nbformat": 3, "worksheets": []}))
    (tmp_path / "schema.ipynb").write_text(json.dumps(
        {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "source": 5}]}))
    (tmp_path / "latin1.ipynb").write_bytes(b'{"cells": ["\xe9"]}')
    nbformat.write(notebook("attn_mask <- 1", language="R"), tmp_path / "r.ipynb")
    nbformat.write(CROSS_CELL, tmp_path / "good.ipynb")
    syntax = notebook("x = 1", "def f(:\n    pass")
    nbformat.write(syntax, tmp_path / "syntax.ipynb")
    result = lint(".", cwd=tmp_path)
    lines = [line for line in result.stdout.splitlines() if ".ipynb:" in line]
    by_file = {}
    for line in lines:
        by_file.setdefault(line.split(":")[0], []).append(line)
    assert sorted(by_file) == ["broken.ipynb", "good.ipynb", "latin1.ipynb", "schema.ipynb", "syntax.ipynb",
                               "v3.ipynb"]
    assert all(len(v) == 1 for v in by_file.values())
    assert "ML900 invalid notebook: not JSON" in by_file["broken.ipynb"][0]
    assert "nbformat 3" in by_file["v3.ipynb"][0] and "not UTF-8" in by_file["latin1.ipynb"][0]
    assert "ML900 invalid notebook: cells[0]: 'metadata' is a required property" in by_file["schema.ipynb"][0]
    assert by_file["schema.ipynb"][0].endswith("(cell 1)")
    assert by_file["syntax.ipynb"][0].startswith("syntax.ipynb:cell 2:1:7: ML900 SyntaxError")
    assert " ML102 " in by_file["good.ipynb"][0]
    assert "Traceback" not in result.stderr


def test_discovery_walks_notebooks_but_not_checkpoints(tmp_path):
    (tmp_path / "sub" / ".ipynb_checkpoints").mkdir(parents=True)
    nbformat.write(CROSS_CELL, tmp_path / "sub" / "a.ipynb")
    nbformat.write(CROSS_CELL, tmp_path / "sub" / ".ipynb_checkpoints" / "a-checkpoint.ipynb")
    out = lint(".", cwd=tmp_path).stdout
    assert "sub/a.ipynb:cell 5" in out and "checkpoint" not in out


def test_standard_input_with_a_notebook_name(tmp_path):
    text = nbformat.writes(CROSS_CELL)
    result = subprocess.run([sys.executable, "-m", "masklint", "--stdin-filename", "nb.ipynb", "-"], input=text,
                            capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and result.stdout.startswith("nb.ipynb:cell 5:3:57: ML102")


def test_notebook_positions_map_every_module_line_to_its_cell():
    nb = Notebook.from_bytes(nbformat.writes(CROSS_CELL).encode())
    assert [(c.index, c.start, c.lines) for c in nb.cells] == [(2, 1, 3), (3, 4, 2), (5, 6, 3)]
    assert [nb.locate(line) for line in (1, 3, 4, 5, 6, 8)] == [(2, 1), (2, 3), (3, 1), (3, 2), (5, 1), (5, 3)]
    assert nb.source.splitlines()[5] == "pass"  # !nvidia-smi


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_pre_commit_runs_the_hook_on_notebooks(tmp_path):
    """pre-commit itself picks the files by the hook's types (from .pre-commit-hooks.yaml); the
    hook runs the masklint installed here (language: system) instead of building an environment."""
    pytest.importorskip("pre_commit")
    import yaml

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = {**hook, "language": "system",
            "entry": f"{sys.executable} -m masklint " + hook["entry"].split(None, 1)[1]}
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    nbformat.write(CROSS_CELL, tmp_path / "nb.ipynb")
    (tmp_path / "notes.txt").write_text("attn_mask\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PRE_COMMIT_HOME": str(tmp_path / ".cache")}
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True, env=env)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True, env=env)
    result = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "nb.ipynb:cell 5:3:57: ML102" in result.stdout and "notes.txt" not in result.stdout


def test_add_noqa_in_a_notebook_cell(tmp_path):
    nbformat.write(CROSS_CELL, tmp_path / "nb.ipynb")
    result = lint("--add-noqa", "nb.ipynb", cwd=tmp_path)
    assert result.returncode == 0 and "Added 1 masklint: ignore comment." in result.stderr
    read = nbformat.read(tmp_path / "nb.ipynb", as_version=4)
    assert read.cells[4].source.splitlines()[2].endswith("attn_mask=future)  # masklint: ignore[ML102]")
    assert lint("nb.ipynb", cwd=tmp_path).returncode == 0


def test_crlf_notebook_is_fixed_in_its_own_line_endings(tmp_path):
    text = nbformat.writes(CROSS_CELL).replace("\n", "\r\n") + "\r\n"
    (tmp_path / "crlf.ipynb").write_bytes(text.encode())
    result = lint("--fix", "--unsafe-fixes", "crlf.ipynb", cwd=tmp_path)
    assert "1 fixed" in result.stdout, result.stdout + result.stderr
    after = (tmp_path / "crlf.ipynb").read_bytes().decode()
    assert after.count("\r\n") == text.count("\r\n") and "\n" not in after.replace("\r\n", "")
    assert after.replace("attn_mask=~future", "attn_mask=future") == text


def test_timed_line_magics_are_linted(tmp_path):
    nb = notebook("import torch\nimport torch.nn.functional as F\nT = 4\n"
                  "future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)\nq = torch.randn(1, 1, T, 8)",
                  "%time out = F.scaled_dot_product_attention(q, q, q, attn_mask=future)\n!echo done")
    nbformat.write(nb, tmp_path / "t.ipynb")
    assert lint("t.ipynb", cwd=tmp_path).stdout.startswith("t.ipynb:cell 2:1:63: ML102")


def test_github_and_sarif_do_not_point_cell_lines_at_the_file(tmp_path):
    nbformat.write(CROSS_CELL, tmp_path / "nb.ipynb")
    github = lint("--output-format", "github", "nb.ipynb", cwd=tmp_path).stdout
    assert github.startswith("::error file=nb.ipynb,title=ML102::cell 5:3:57: ML102 block mask")
    (result,) = json.loads(lint("--output-format", "sarif", "nb.ipynb", cwd=tmp_path).stdout)["runs"][0]["results"]
    assert "fixes" not in result  # its edits are in cell lines, which a SARIF consumer would apply to the file


def test_one_bad_cell_costs_that_cell_and_shell_continuations_are_skipped(tmp_path):
    """A Colab-style notebook: shell commands continued with a backslash, and a cell that is not
    Python at all; the mask bug in another cell is still found."""
    nb = notebook("!apt-get install -y a b \\\n    c d && \\\n    echo done\nimport torch\nimport torch.nn.functional as F",
                  "this is not python (", "",
                  "T = 4\nfuture = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)\n"
                  "q = torch.randn(1, 1, T, 8)\nout = F.scaled_dot_product_attention(q, q, q, attn_mask=future)")
    nbformat.write(nb, tmp_path / "colab.ipynb")
    lines = lint("colab.ipynb", cwd=tmp_path).stdout.splitlines()
    assert lines[0].startswith("colab.ipynb:cell 2:1:") and "ML900 SyntaxError" in lines[0]
    assert "this cell is not analysed" in lines[0]
    assert lines[1].startswith("colab.ipynb:cell 4:4:57: ML102")  # (cell 3 is empty)
