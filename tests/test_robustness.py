"""Never taken down: input that crashes LibCST's native parser, worker processes that die or
stall, and files that take too long each cost one ML900 line for their file; the other files
are linted and the exit status is 1 or 2, never a signal's (139).  Real ``masklint`` processes
on real files (docs/robustness.md)."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from masklint import engine

# a real finding, so that "the other files are linted" is visible in the output
GOOD = """\
import torch
mask = torch.ones(3, 3, dtype=torch.bool).tril()
attn = torch.nn.MultiheadAttention(4, 1)
attn(q, q, q, attn_mask=mask)
"""
GOOD_LINE = "good.py:4:25: ML101 "
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def lines_by_path(stdout: str):
    out = {}
    for line in stdout.splitlines():
        if ":" in line and not line.startswith(("Found", "All checks")):
            out.setdefault(line.split(":")[0], []).append(line)
    return out


def check_run(result, bad: dict, code: int):
    """Each file of ``bad`` has exactly one ML900 line containing its text; good.py its finding."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    by_path = lines_by_path(result.stdout)
    assert [l for l in by_path.get("good.py", []) if l.startswith(GOOD_LINE)], result.stdout
    for name, text in bad.items():
        assert len(by_path.get(name, [])) == 1, (name, result.stdout)
        assert " ML900 " in by_path[name][0] and text in by_path[name][0], by_path[name][0]
    return by_path


# --------------------------------------------------------------------------- input LibCST cannot take
CPYTHON_REJECTS = {
    "parens_1300": ("mask = " + "(" * 1300 + "1" + ")" * 1300 + "\n", "SyntaxError: too many nested parentheses"),
    "parens_1272": ("mask = " + "(" * 1272 + "1" + ")" * 1272 + "\n", "SyntaxError: too many nested parentheses"),
    "invert_8175": ("mask = " + "~" * 8175 + "1\n", "cannot parse"),
    "not_8175": ("mask = " + "not " * 8175 + "1\n", "cannot parse"),
    "bool_4000": ("mask = x" + ".bool()" * 4000 + "\n", "cannot parse"),
    "lambda_4000": ("mask = " + "lambda: " * 4000 + "1\n", "cannot parse"),
    "plus_100k": ("mask = " + "+".join(["1"] * 100_000) + "\n", "cannot parse"),
    "subscript_3000": ("mask = x" + "[0]" * 3000 + "\n", "cannot parse"),
}
# CPython takes these; LibCST nests what CPython keeps flat (and/or chains, dotted names), or the
# nesting is over masklint's limit (slow and stack-hungry for LibCST, beyond the analysis anyway)
CPYTHON_TAKES = {
    "and_10000": ("mask = " + " and ".join(["a"] * 10_000) + "\n", "not analysed: nested 1000"),
    "import_20000": ("from " + ".".join(["a"] * 20_000) + " import mask\n", "not analysed: nested"),
    "invert_1100": ("mask = " + "~" * 1100 + "x\n", "not analysed: nested 110"),
}


@pytest.mark.parametrize("name", sorted({**CPYTHON_REJECTS, **CPYTHON_TAKES}))
def test_input_that_crashed_libcst_is_one_ml900_line(tmp_path, masklint_cmd, name):
    source, message = {**CPYTHON_REJECTS, **CPYTHON_TAKES}[name]
    (tmp_path / "deep.py").write_text(source)
    (tmp_path / "good.py").write_text(GOOD)
    # --jobs 1: in this very process, where a LibCST crash used to end the run with no output
    result = masklint_cmd("--no-cache", "--jobs", "1", "deep.py", "good.py", cwd=tmp_path)
    check_run(result, {"deep.py": message}, 1)


def test_deep_file_among_good_ones_in_parallel(tmp_path, masklint_cmd):
    (tmp_path / "deep.py").write_text(CPYTHON_REJECTS["parens_1300"][0])
    (tmp_path / "deep2.py").write_text(CPYTHON_TAKES["and_10000"][0])
    (tmp_path / "good.py").write_text(GOOD)
    for i in range(30):
        (tmp_path / f"ok{i:02d}.py").write_text(f"x{i} = {i}\n")
    result = masklint_cmd("--no-cache", "--jobs", "2", ".", cwd=tmp_path)
    check_run(result, {"deep.py": "too many nested parentheses", "deep2.py": "not analysed: nested"}, 1)


def test_nesting_the_analysis_takes_is_still_analysed(tmp_path, masklint_cmd):
    # 150 levels: deep for real code, far below every limit; the finding is still made
    (tmp_path / "good.py").write_text(GOOD.replace("attn_mask=mask)", "attn_mask=" + "(" * 150 + "mask" + ")" * 150 + ")"))
    result = masklint_cmd("--no-cache", "good.py", cwd=tmp_path)
    assert result.returncode == 1 and " ML101 " in result.stdout and "ML900" not in result.stdout


def test_an_imported_module_that_crashed_libcst(tmp_path, masklint_cmd):
    # the cross-module index parses imported project files: they go through the same guard
    (tmp_path / "dep.py").write_text("import torch\nimport " + ".".join(["a"] * 20_000)
                                     + "\n\ndef make_mask(n):\n    return torch.ones(n, n, dtype=torch.bool).tril()\n")
    (tmp_path / "main.py").write_text("import torch\nfrom dep import make_mask\nattn = torch.nn.MultiheadAttention(4, 1)\n"
                                      "attn(q, q, q, attn_mask=make_mask(3))\n")
    (tmp_path / "good.py").write_text(GOOD)
    result = masklint_cmd("--no-cache", "main.py", "good.py", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr  # (was 139, no output)
    assert "main.py" not in result.stdout and GOOD_LINE in result.stdout
    result = masklint_cmd("--no-cache", ".", cwd=tmp_path)  # linted itself, the module says why
    check_run(result, {"dep.py": "not analysed: nested 2000"}, 1)


def run_stdin(source: str, *args, cwd):
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "masklint", "--no-cache", *args, "-"], cwd=cwd, env=env,
                          input=source, capture_output=True, text=True, timeout=60)


def test_standard_input(tmp_path):
    result = run_stdin(CPYTHON_REJECTS["lambda_4000"][0], cwd=tmp_path)
    assert result.returncode == 1 and result.stdout.startswith("-:1:1: ML900 cannot parse"), result
    result = run_stdin(CPYTHON_TAKES["and_10000"][0], cwd=tmp_path)
    assert result.returncode == 1 and result.stdout.startswith("-:1:1: ML900 not analysed: nested"), result


# --------------------------------------------------------------------------- the time budget
def slow_source(terms: int = 40) -> str:
    """Valid Python that keeps the interpreter busy for many seconds (13 s on the 2-core
    development machine): six levels of helpers, each calling the one below 8 times."""
    expr = " & ".join(["m"] * terms)
    body = "\n".join(f"    m{i} = ({expr})" for i in range(60))
    out = ["import torch", ""]
    for k in range(6):
        out += [f"def f{k}(m):", body]
        if k:
            out.append("    " + " ; ".join(f"m = f{k - 1}(m)" for _ in range(8)))
        out.append("    return m")
    out += ["mask = torch.ones(3, 3, dtype=torch.bool)", "y = f5(mask)", ""]
    return "\n".join(out)


def test_time_budget_in_one_process(tmp_path, masklint_cmd):
    (tmp_path / "slow.py").write_text(slow_source())
    (tmp_path / "good.py").write_text(GOOD)
    start = time.monotonic()
    result = masklint_cmd("--no-cache", "--jobs", "1", "--file-timeout", "1", "slow.py", "good.py", cwd=tmp_path)
    elapsed = time.monotonic() - start
    check_run(result, {"slow.py": "not analysed: took longer than 1 s"}, 1)
    assert elapsed < 10, elapsed


def test_time_budget_from_the_configuration_and_on_standard_input(tmp_path, masklint_cmd):
    (tmp_path / "pyproject.toml").write_text("[tool.masklint]\nfile-timeout = 1\n")
    (tmp_path / "slow.py").write_text(slow_source())
    (tmp_path / "good.py").write_text(GOOD)
    check_run(masklint_cmd("--no-cache", cwd=tmp_path), {"slow.py": "took longer than 1 s"}, 1)
    result = run_stdin(slow_source(), "--file-timeout", "0.5", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("-:1:1: ML900 not analysed: took longer than 0.5 s"), result


def test_a_timed_out_file_is_not_cached(tmp_path, masklint_cmd):
    (tmp_path / "slow.py").write_text(slow_source())
    (tmp_path / "good.py").write_text(GOOD)
    check_run(masklint_cmd("--jobs", "1", "--file-timeout", "0.5", cwd=tmp_path), {"slow.py": "took longer"}, 1)
    cached = "".join(p.read_text() for p in (tmp_path / ".masklint_cache").glob("*.json"))
    assert str(tmp_path / "good.py") in cached and str(tmp_path / "slow.py") not in cached


@POSIX
def test_time_budget_kills_a_stalled_worker(tmp_path, masklint_cmd):
    # the worker stalls where no cooperative check can see it (a test hook: it sleeps); the
    # parent kills it KILL_GRACE seconds past the budget and a fresh worker takes the rest
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "stall.py").write_text(GOOD)
    for i in range(30):
        (tmp_path / f"ok{i:02d}.py").write_text(f"x{i} = {i}\n")
    start = time.monotonic()
    result = masklint_cmd("--no-cache", "--jobs", "2", "--file-timeout", "1", ".", cwd=tmp_path,
                          env={"MASKLINT_TEST_WORKER_FAULT": "hang:stall.py"})
    assert time.monotonic() - start < 15
    check_run(result, {"stall.py": "not analysed: took longer than 1 s"}, 1)


def test_time_budget_kills_a_worker_stuck_in_native_code(tmp_path, masklint_cmd):
    # LibCST's parser is quadratic in the nesting depth and holds the GIL: 40 expressions 900
    # levels deep take about 20 s to parse (valid Python, under every nesting limit)
    (tmp_path / "native.py").write_text("x = mask\n" + ("y = x" + "[0]" * 900 + "\n") * 40)
    (tmp_path / "good.py").write_text(GOOD)
    for i in range(30):
        (tmp_path / f"ok{i:02d}.py").write_text(f"x{i} = {i}\n")
    start = time.monotonic()
    result = masklint_cmd("--no-cache", "--jobs", "2", "--file-timeout", "1", ".", cwd=tmp_path)
    assert time.monotonic() - start < 15
    check_run(result, {"native.py": "not analysed: took longer than 1 s"}, 1)


def test_the_statement_cap_is_one_ml900_line_not_an_internal_error(tmp_path):
    # the interpreter stops after MAX_STMTS statements (200,000: a 4.5 MB file of assignments
    # took 33 s to get there); that used to escape as "internal error: _Abort" (exit 2)
    (tmp_path / "many.py").write_text("mask = 1\n" * 300)
    (tmp_path / "good.py").write_text(GOOD)
    code = "import sys; import masklint.analysis.interp as i; i.MAX_STMTS = 100; from masklint.cli import main; main()"
    result = subprocess.run([sys.executable, "-c", code, "--no-cache", "many.py", "good.py"], cwd=tmp_path,
                            env={**os.environ, "NO_COLOR": "1"}, capture_output=True, text=True, timeout=60)
    check_run(result, {"many.py": "not analysed: more than 100 statements to run"}, 1)


# --------------------------------------------------------------------------- a worker that dies
@POSIX
@pytest.mark.parametrize("sig, why", [("SIGSEGV", "signal 11, SIGSEGV"),
                                      ("SIGKILL", "signal 9, SIGKILL: perhaps out of memory")])
def test_a_crashed_worker_costs_only_its_file(tmp_path, masklint_cmd, sig, why):
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "crash.py").write_text(GOOD)  # it would have a finding: the crash hides it
    for i in range(30):
        (tmp_path / f"ok{i:02d}.py").write_text(f"x{i} = {i}  # mask\n")
    result = masklint_cmd("--no-cache", "--jobs", "2", ".", cwd=tmp_path,
                          env={"MASKLINT_TEST_WORKER_FAULT": f"{sig}:crash.py"})
    # a crash is an internal error (a bug to report), like an exception in the analysis: exit 2
    by_path = check_run(result, {"crash.py": f"not analysed: the analysis process crashed ({why})"}, 2)
    assert "please report this bug" in by_path["crash.py"][0]
    assert "\nFound 2 errors." in result.stdout  # good.py's and crash.py's


@POSIX
def test_workers_that_crash_again_and_again(tmp_path, masklint_cmd):
    # every file named crash.py kills its worker: each is reported, a fresh worker goes on
    (tmp_path / "good.py").write_text(GOOD)
    for i in range(5):
        (tmp_path / f"d{i}").mkdir()
        (tmp_path / f"d{i}" / "crash.py").write_text(GOOD)
    for i in range(30):
        (tmp_path / f"ok{i:02d}.py").write_text(f"x{i} = {i}\n")
    result = masklint_cmd("--no-cache", "--jobs", "3", ".", cwd=tmp_path,
                          env={"MASKLINT_TEST_WORKER_FAULT": "SIGSEGV:crash.py"})
    assert result.returncode == 2
    crashed = [l for l in result.stdout.splitlines() if "the analysis process crashed (signal 11" in l]
    assert len(crashed) == 5 and GOOD_LINE in result.stdout


# --------------------------------------------------------------------------- configuration
@pytest.mark.parametrize("value", ['"20"', "-1", "true", "nan", "inf"])
def test_file_timeout_must_be_a_number_of_seconds(tmp_path, masklint_cmd, value):
    (tmp_path / "pyproject.toml").write_text(f"[tool.masklint]\nfile-timeout = {value}\n")
    (tmp_path / "good.py").write_text(GOOD)
    result = masklint_cmd("--no-cache", cwd=tmp_path)
    assert result.returncode == 2 and "file-timeout: expected a number of seconds" in result.stderr


def test_file_timeout_option(tmp_path, masklint_cmd):
    (tmp_path / "good.py").write_text(GOOD)
    bad = masklint_cmd("--no-cache", "--file-timeout", "-1", cwd=tmp_path)
    assert bad.returncode == 2 and "--file-timeout: expected a number of seconds" in bad.stderr
    assert masklint_cmd("--no-cache", "--file-timeout", "0", cwd=tmp_path).returncode == 1  # 0: no limit


# --------------------------------------------------------------------------- the guard itself
def test_nesting_counts_what_libcst_nests():
    import ast

    def depth(src):
        return engine.nesting(ast.parse(src))[0]

    assert depth("a and b and c and d") - depth("a and b") == 2
    assert depth("import a.b.c.d") - depth("import a") == 3
    assert depth("[x for a in b for c in d for e in f]") - depth("[x for a in b]") == 2
    # an elif chain is cheap for LibCST's stack, an else: if is not
    chain = "if a:\n    pass\n" + "elif b:\n    pass\n" * 50
    nested = "".join("    " * i + "if a:\n" for i in range(50)) + "    " * 50 + "pass\n"
    assert engine.nesting(ast.parse(chain))[2] < engine.nesting(ast.parse(nested))[2] / 5


def test_parse_off_the_main_thread(tmp_path):
    # a secondary thread may have a small stack (512 KB on macOS): deep files are parsed on a
    # thread of the guard's own.  A 256 KB thread here; LibCST needs about 4 MB for this file.
    # In a subprocess: without the guard this is a segfault.
    code = """if 1:
        import sys, threading
        from masklint import engine
        source = "".join("    " * i + "def f():\\n" for i in range(90)) + "    " * 90 + "mask = " + "lambda: " * 800 + "1\\n"
        box = {}
        threading.stack_size(256 * 1024)
        t = threading.Thread(target=lambda: box.update(tree=engine.parse_module(source)))
        t.start()
        t.join()
        assert type(box["tree"]).__name__ == "Module"
        print("ok")
    """
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == "ok\n", (result.returncode, result.stderr[-2000:])
