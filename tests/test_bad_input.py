"""Bad input: every unreadable or unparsable file gives exactly one ML900 line, the other files
are still linted, and there is never a traceback."""
from __future__ import annotations

import errno
import json
import os

import pytest
from click.testing import CliRunner

from masklint import files as files_mod
from masklint import runner
from masklint.cli import cli

GOOD = "y = bug_ML101\n"


def run_json(*args):
    result = CliRunner().invoke(cli, ["--format", "json", "--no-cache", *map(str, args)], prog_name="masklint")
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def ml900(diags):
    return {d["path"]: d["message"] for d in diags if d["code"] == "ML900"}


@pytest.fixture
def project(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.py").write_text(GOOD)
    return tmp_path


def assert_one_ml900(diags, path, message_part):
    lines = [d for d in diags if d["path"] == path]
    assert len(lines) == 1, lines
    assert lines[0]["code"] == "ML900" and message_part in lines[0]["message"], lines[0]
    assert ("good.py", "ML101") in {(d["path"], d["code"]) for d in diags}  # the run went on


def test_syntax_error(project):
    (project / "bad.py").write_text("x = 1\n\ndef f(:\n")
    code, diags = run_json()
    assert code == 1
    assert_one_ml900(diags, "bad.py", "SyntaxError")
    bad = next(d for d in diags if d["path"] == "bad.py")
    assert (bad["line"], bad["column"]) == (3, 7)


def test_pep263_cookie_is_honoured(project):
    (project / "latin.py").write_bytes("# -*- coding: latin-1 -*-\nname = 'café'; y = bug_ML101\n".encode("latin-1"))
    (project / "bom.py").write_bytes(b"\xef\xbb\xbfy = bug_ML101\n")
    code, diags = run_json()
    assert code == 1 and not ml900(diags)
    assert {d["path"] for d in diags} == {"good.py", "latin.py", "bom.py"}


def test_undecodable(project):
    (project / "bad.py").write_bytes(b"x = 1\ns = '\xff\xfe'\n")
    code, diags = run_json()
    assert_one_ml900(diags, "bad.py", "cannot decode as utf-8: invalid byte 0xff")
    assert next(d for d in diags if d["path"] == "bad.py")["line"] == 2


def test_unknown_coding_cookie(project):
    (project / "bad.py").write_bytes(b"# -*- coding: klingon -*-\nx = 1\n")
    code, diags = run_json()
    assert_one_ml900(diags, "bad.py", "cannot decode")


def test_binary_file(project):
    (project / "bad.py").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00")
    assert_one_ml900(run_json()[1], "bad.py", "skipped: binary file (contains NUL bytes)")


def test_file_too_large(project, monkeypatch):
    monkeypatch.setattr(runner, "MAX_FILE_SIZE", 1024)
    (project / "big.py").write_text("x = 1\n" * 1000)
    assert_one_ml900(run_json()[1], "big.py", "skipped: file too large")


def test_unreadable_file_simulated(project, monkeypatch):
    (project / "locked.py").write_text("x = 1\n")
    real_open = open

    def fake_open(path, *args, **kw):
        if str(path).endswith("locked.py"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, *args, **kw)

    monkeypatch.setattr(runner, "open", fake_open, raising=False)
    assert_one_ml900(run_json()[1], "locked.py", "Permission denied")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_and_directory(project):
    locked = project / "locked.py"
    locked.write_text("x = 1\n")
    closed = project / "closed"
    closed.mkdir()
    (closed / "inner.py").write_text("x = 1\n")
    locked.chmod(0)
    closed.chmod(0)
    try:
        diags = run_json()[1]
    finally:
        locked.chmod(0o644)
        closed.chmod(0o755)
    assert_one_ml900(diags, "locked.py", "Permission denied")
    assert_one_ml900(diags, "closed", "Permission denied")


def test_unlistable_directory_simulated(project, monkeypatch):
    (project / "closed").mkdir()
    (project / "closed" / "inner.py").write_text(GOOD)
    real_scandir = os.scandir

    def fake_scandir(path="."):
        if str(path).endswith("closed"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_scandir(path)

    monkeypatch.setattr(files_mod.os, "scandir", fake_scandir)
    assert_one_ml900(run_json()[1], "closed", "Permission denied")


def test_a_file_that_vanishes_after_discovery(project, monkeypatch):
    (project / "gone.py").write_text("x = 1\n")
    real_discover = runner.discover

    def discover_then_delete(*args, **kw):
        found = real_discover(*args, **kw)
        (project / "gone.py").unlink()
        return found

    monkeypatch.setattr(runner, "discover", discover_then_delete)
    assert_one_ml900(run_json()[1], "gone.py", "No such file or directory")


def test_symlink_loop_and_broken_link(project):
    (project / "loop.py").symlink_to("loop.py")
    (project / "dangling.py").symlink_to("nowhere.py")
    (project / "sub").mkdir()
    (project / "sub" / "up").symlink_to("..")  # a directory loop: not followed
    diags = run_json()[1]
    assert_one_ml900(diags, "loop.py", "Too many levels of symbolic links")
    assert_one_ml900(diags, "dangling.py", "No such file or directory")
    assert len(diags) == 3


def test_missing_path_on_the_command_line_is_a_usage_error(project):
    """As in Ruff: one line per missing path on stderr, the other paths linted, exit 2."""
    result = CliRunner().invoke(cli, ["--format", "json", "--no-cache", "good.py", "missing.py", "missing_dir/"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["masklint: error: missing.py: No such file or directory",
                                          "masklint: error: missing_dir/: No such file or directory"]
    diags = json.loads(result.stdout)
    assert [(d["path"], d["code"]) for d in diags] == [("good.py", "ML101")]
    only_missing = CliRunner().invoke(cli, ["--no-cache", "missing.py"])
    assert only_missing.exit_code == 2 and "No Python files found" not in only_missing.stderr


def test_missing_path_with_exit_zero_is_still_a_usage_error(project):
    assert CliRunner().invoke(cli, ["--exit-zero", "--no-cache", "missing.py"]).exit_code == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_not_read(project):
    os.mkfifo(project / "pipe.py")
    assert_one_ml900(run_json("good.py", "pipe.py")[1], "pipe.py", "not a regular file")
    assert_one_ml900(run_json()[1], "pipe.py", "not a regular file")


def test_empty_file_is_fine(project):
    (project / "empty.py").write_bytes(b"")
    code, diags = run_json()
    assert not ml900(diags)


def test_all_bad_inputs_in_one_subprocess_run(tmp_path, masklint_cmd):
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "syntax.py").write_text("def f(:\n")
    (tmp_path / "undecodable.py").write_bytes(b"s = '\xff'\n")
    (tmp_path / "binary.py").write_bytes(b"\x00\x01\x02")
    (tmp_path / "big.py").write_bytes(b"#" * (5 * 1024 * 1024 + 1))
    (tmp_path / "loop.py").symlink_to("loop.py")
    (tmp_path / "crash.py").write_text("raise_internal\n")
    result = masklint_cmd("--no-cache", ".", "missing.py", cwd=tmp_path, fake=True)
    assert "Traceback" not in result.stderr
    assert result.stderr == "masklint: error: missing.py: No such file or directory\n"  # a usage error
    lines = result.stdout.splitlines()
    assert lines[-1] == "Found 7 errors."
    by_path = {}
    for line in lines[:-1]:
        by_path.setdefault(line.split(":")[0], []).append(line)
    assert sorted(by_path) == ["big.py", "binary.py", "crash.py", "good.py", "loop.py",
                               "syntax.py", "undecodable.py"]
    assert all(len(v) == 1 for v in by_path.values())
    assert by_path["good.py"] == ["good.py:1:5: ML101 fake ML101 finding"]
    assert all(" ML900 " in v[0] for k, v in by_path.items() if k != "good.py")
    assert result.returncode == 2  # the internal error (crash.py) makes it 2


def test_syntax_error_with_the_real_engine(tmp_path, masklint_cmd):
    # (the engine skips parsing modules that mention no mask vocabulary at all)
    (tmp_path / "bad.py").write_text("def f(attn_mask:\n    pass\n")
    result = masklint_cmd("--no-cache", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    first, summary = result.stdout.splitlines()
    assert first.startswith("bad.py:") and " ML900 " in first and summary == "Found 1 error."
