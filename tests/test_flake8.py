"""The flake8 plugin (entry point ``flake8.extension`` ``ML``)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from masklint.flake8_plugin import MaskLintFlake8

TESTS = Path(__file__).parent
FAKE_FLAKE8 = "import sys, fake_engine; fake_engine.install(); from flake8.main.cli import main; sys.exit(main())"
TRIL_KEEP_MASK = """\
import torch
import torch.nn as nn

mha = nn.MultiheadAttention(8, 2, batch_first=True)
x = torch.randn(2, 4, 8)
out, _ = mha(x, x, x, attn_mask=torch.tril(torch.ones(4, 4, dtype=torch.bool)))
"""


def flake8(*args, cwd, fake=False):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-c", FAKE_FLAKE8] if fake else [sys.executable, "-m", "flake8"]
    return subprocess.run([*cmd, "--jobs", "1", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=60)


def test_plugin_is_registered(tmp_path):
    out = subprocess.run([sys.executable, "-m", "flake8", "--version"], capture_output=True, text=True).stdout
    assert "masklint:" in out


def test_plugin_yields_flake8_tuples(fake_engine):
    lines = ["a = bug_ML101\n", "b = bug_ML204\n", "c = bug_ML202  # masklint: ignore[ML202]\n", "d = bug_ML403\n"]
    results = list(MaskLintFlake8(None, "x.py", lines).run())
    assert results == [
        (1, 4, "ML101 fake ML101 finding", MaskLintFlake8),  # 0-based column for flake8
        (4, 4, "ML403 fake ML403 finding", MaskLintFlake8),  # ML204 is opt-in: not reported
    ]
    assert list(MaskLintFlake8(None, "x.py", ["def f(:\n"]).run()) == []  # flake8 reports E999


def test_plugin_turns_an_internal_error_into_one_line(fake_engine):
    (result,) = MaskLintFlake8(None, "x.py", ["raise_internal\n"]).run()
    assert result[:2] == (1, 0) and result[2].startswith("ML900 internal error: RuntimeError: boom")


def test_flake8_run_with_the_plugin(tmp_path):
    (tmp_path / "f.py").write_text("a = bug_ML101\nb = bug_ML101  # noqa: ML101\nc = bug_ML101  # noqa: E501\n")
    result = flake8("--select", "ML", "f.py", cwd=tmp_path, fake=True)
    assert result.stdout.splitlines() == ["f.py:1:5: ML101 fake ML101 finding", "f.py:3:5: ML101 fake ML101 finding"]
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_flake8_end_to_end_tril_keep_mask(tmp_path):
    (tmp_path / "model.py").write_text(TRIL_KEEP_MASK)
    result = flake8("--select", "ML", "model.py", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("model.py:6:") and " ML101 " in result.stdout
