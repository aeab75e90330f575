"""A file that cannot hold a mask is checked by CPython's parser alone: the CLI, the rule
registry and the runner load no LibCST for it (most of a pre-commit hook's start-up)."""
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys
    from masklint.cli import main
    try:
        main(["--no-cache", sys.argv[1]])
    except SystemExit as e:
        code = e.code
    print("LIBCST", "libcst" in sys.modules, "EXIT", code)
""")


def _run(tmp_path, source):
    f = tmp_path / "mod.py"
    f.write_text(source)
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(f)], capture_output=True, text=True, timeout=120,
                         cwd=tmp_path)
    return out.stdout.strip().splitlines()[-1], out.stdout


def test_file_without_masks_loads_no_libcst(tmp_path):
    last, _ = _run(tmp_path, "import torch\n\ndef conv(x, w):\n    return torch.nn.functional.conv2d(x, w)\n")
    assert last == "LIBCST False EXIT 0"


def test_syntax_error_without_masks_is_still_reported_without_libcst(tmp_path):
    last, out = _run(tmp_path, "def f(:\n    pass\n")
    assert last == "LIBCST False EXIT 1"
    assert "ML900" in out


def test_file_with_a_mask_bug_loads_libcst_and_reports(tmp_path):
    last, out = _run(tmp_path, textwrap.dedent("""
        import torch
        import torch.nn as nn
        attn = nn.MultiheadAttention(8, 2)
        keep = torch.tril(torch.ones(4, 4)).bool()
        x = torch.randn(4, 1, 8)
        attn(x, x, x, attn_mask=keep)
    """))
    assert last == "LIBCST True EXIT 1"
    assert "ML101" in out
