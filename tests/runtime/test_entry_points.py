"""``masklint run`` (runner.run_script) and ``pytest --masklint``."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from masklint.runtime.runner import run_script

BUGGY = textwrap.dedent("""
    import sys
    import torch
    import torch.nn.functional as F

    q = k = v = torch.randn(2, 2, 6, 8)
    block = torch.triu(torch.ones(6, 6, dtype=torch.bool), 1)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=block if "--bug" in sys.argv else ~block)
    print("script ran with", sys.argv[1:])
    sys.exit(int(sys.argv[-1]) if sys.argv[-1].isdigit() else 0)
""")


def test_run_script_reports_and_sets_the_exit_code(tmp_path, capsys):
    script = tmp_path / "train.py"
    script.write_text(BUGGY)
    argv_before = sys.argv[:]

    assert run_script([str(script), "--bug"]) == 1  # confirmed finding
    captured = capsys.readouterr()
    assert "script ran with ['--bug']" in captured.out
    assert f"{script}:8: ML102 [confirmed]" in captured.err
    assert sys.argv == argv_before

    assert run_script([str(script), "3"]) == 3  # clean: the script's own code
    assert "0 finding(s)" in capsys.readouterr().err
    assert run_script([str(tmp_path / "missing.py")]) == 2 and run_script([]) == 2


def test_pytest_plugin_fails_tests_with_confirmed_findings(tmp_path):
    (tmp_path / "test_model.py").write_text(textwrap.dedent("""
        import torch
        import torch.nn.functional as F

        BLOCK = torch.triu(torch.ones(6, 6, dtype=torch.bool), 1)

        def test_buggy():
            q = torch.randn(2, 2, 6, 8)
            F.scaled_dot_product_attention(q, q, q, attn_mask=BLOCK)

        def test_correct():
            q = torch.randn(2, 2, 6, 8)
            F.scaled_dot_product_attention(q, q, q, attn_mask=~BLOCK)
    """))
    env = {k: v for k, v in os.environ.items() if k != "MASKLINT_DISABLE"}
    run = subprocess.run([sys.executable, "-m", "pytest", "--masklint", "-q", "-p", "no:cacheprovider",
                          "test_model.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed, 1 passed" in run.stdout
    assert "test_model.py::test_buggy" in run.stdout and "ML102 [confirmed]" in run.stdout
    assert "masklint runtime" in run.stdout  # the terminal summary
