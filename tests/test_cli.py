"""The ``masklint`` command: default command and subcommands, exit codes, selection, fixes,
parallel jobs and the cache.  Plumbing runs against ``tests/fake_engine.py``; a few end-to-end
tests use the real analysis."""
from __future__ import annotations

import json
import os
import stat
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

import masklint
from masklint import cache as cache_mod
from masklint import pages, runner
from masklint.cli import cli
from masklint.config import Settings
from masklint.diagnostics import Diagnostic
from masklint.edits import EditError, fix_file, plan_fixes

TRIL_KEEP_MASK = """\
import torch
import torch.nn as nn

mha = nn.MultiheadAttention(8, 2, batch_first=True)
x = torch.randn(2, 4, 8)
out, _ = mha(x, x, x, attn_mask=torch.tril(torch.ones(4, 4, dtype=torch.bool)))
"""


def invoke(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], prog_name="masklint", catch_exceptions=False)
    return result


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- exit codes, text
def test_clean_run_exits_0_with_ruffs_message(project, fake_engine):
    write(project / "a.py", "x = 1\n")
    result = invoke()
    assert result.exit_code == 0
    assert result.output == "All checks passed!\n"
    assert fake_engine == ["a.py"]


def test_findings_exit_1_with_ruff_style_lines(project, fake_engine):
    write(project / "pkg" / "a.py", "x = 1\ny = bug_ML101\n")
    result = invoke("pkg")
    assert result.exit_code == 1
    assert result.output == "pkg/a.py:2:5: ML101 fake ML101 finding\nFound 1 error.\n"


def test_exit_zero_and_quiet(project, fake_engine):
    write(project / "a.py", "y = bug_ML101\n")
    assert invoke("--exit-zero").exit_code == 0
    quiet = invoke("-q", "--no-cache")
    assert quiet.exit_code == 1 and quiet.output == "a.py:1:5: ML101 fake ML101 finding\n"
    silent = invoke("-qq", "--no-cache")
    assert silent.exit_code == 1 and silent.output == ""


def test_statistics(project, fake_engine):
    write(project / "a.py", "a = bug_ML101\nb = bug_ML101\nc = bug_ML202\n")
    result = invoke("--statistics")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "count  code   fix  rule",
        "    2  ML101       keep-mask-to-block-api",
        "    1  ML202       binary-float-mask",
        "    3  total (2 rules; [*]: a fix is available, see --fix and --unsafe-fixes)",
    ]
    rows = json.loads(invoke("--statistics", "--format", "json").output)
    assert rows[0] == {"code": "ML101", "name": "keep-mask-to-block-api", "count": 2, "fixable": False}


def test_internal_error_is_one_ml900_line_and_exit_2(project, fake_engine):
    write(project / "a.py", "raise_internal\n")
    write(project / "b.py", "y = bug_ML101\n")
    result = invoke("--exit-zero")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0].startswith("a.py:1:1: ML900 internal error: RuntimeError: boom; please report")
    assert lines[1] == "b.py:1:5: ML101 fake ML101 finding"


def test_version():
    assert invoke("--version").output == f"masklint {masklint.__version__}\n"
    assert invoke("-q", "--version").output == f"masklint {masklint.__version__}\n"


def test_help_shows_lint_options_and_commands():
    out = invoke("--help").output
    assert "Usage: masklint [OPTIONS] [PATHS]..." in out
    assert "--select" in out and "Commands:" in out and "rules" in out


def test_usage_error_exits_2():
    assert invoke("--format", "xml").exit_code == 2
    assert invoke("--jobs", "0").exit_code == 2


# --------------------------------------------------------------------------- selection
@pytest.mark.parametrize(
    "args, expected",
    [
        ((), {"ML101", "ML202"}),  # defaults: ML204 is opt-in
        (("--select", "ML1"), {"ML101"}),
        (("--select", "ML101,ML204"), {"ML101", "ML204"}),
        (("--select", "ALL"), {"ML101", "ML202", "ML204"}),
        (("--extend-select", "ML204"), {"ML101", "ML202", "ML204"}),
        (("--ignore", "ML2"), {"ML101"}),
        (("--ignore", "ML20", "--extend-select", "ML204"), {"ML101", "ML204"}),  # more specific wins
        (("--select", "ml10"), {"ML101"}),
    ],
)
def test_selection(project, fake_engine, args, expected):
    write(project / "a.py", "a = bug_ML101\nb = bug_ML202\nc = bug_ML204\n")
    data = json.loads(invoke("--format", "json", "--no-cache", *args).output)
    assert {d["code"] for d in data} == expected


@pytest.mark.parametrize("option", ["--select", "--ignore", "--extend-select"])
def test_unknown_code_is_a_one_line_error(project, option):
    result = CliRunner().invoke(cli, [option, "ML999"], prog_name="masklint")
    assert result.exit_code == 2
    assert result.output == f"masklint: error: {option}: unknown rule code or prefix 'ML999'\n"


def test_ml900_survives_select_but_not_an_explicit_ignore(project, fake_engine):
    write(project / "a.py", "def f(:\n")
    assert "ML900" in invoke("--select", "ML101", "--no-cache").output
    assert invoke("--ignore", "ML900", "--no-cache").exit_code == 0


# --------------------------------------------------------------------------- subcommands
def test_rules_table_and_json():
    out = invoke("rules").output
    assert out.splitlines()[0].split()[:4] == ["CODE", "NAME", "SEVERITY", "ENABLED"]
    assert "ML204  mixed-mask-kinds" in out and "opt-in" in out
    rows = json.loads(invoke("rules", "--format", "json").output)
    assert {"code": "ML601"}.items() <= next(r for r in rows if r["code"] == "ML601").items()


def test_rule_page_and_fallback(tmp_path, monkeypatch):
    write(tmp_path / "ML101.md", "# ML101\n\nThe page.\n")
    monkeypatch.setattr(pages, "page_dirs", lambda: [tmp_path / "missing", tmp_path])
    assert invoke("rule", "ML101").output == "# ML101\n\nThe page.\n"
    fallback = invoke("rule", "ml102").output  # no page: the summary
    assert fallback.startswith("# ML102 (block-mask-to-keep-api)") and "BLOCK-polarity" in fallback
    unknown = CliRunner().invoke(cli, ["rule", "ML999"])
    assert unknown.exit_code == 2 and unknown.output.startswith("masklint: error: unknown rule 'ML999'")


def test_rule_pages_are_found_in_the_wheel_dir_first(tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "_PACKAGE", tmp_path / "masklint")
    write(tmp_path / "masklint" / "_rule_pages" / "ML101.md", "wheel\n")
    write(tmp_path / "rules" / "ML101.md", "checkout\n")
    write(tmp_path / "rules" / "ML102.md", "checkout 102\n")
    assert pages.read_page("ML101") == "wheel\n"
    assert pages.read_page("ml102") == "checkout 102\n"
    assert pages.read_page("ML103") is None


def test_a_directory_named_like_a_command_is_lintable(project, fake_engine):
    write(project / "rules" / "a.py", "y = bug_ML101\n")
    for args in (["./rules"], ["--", "rules"], ["check", "rules"], ["--no-cache", "rules"]):
        result = invoke(*args)
        assert result.exit_code == 1, args
        assert "rules/a.py:1:5: ML101" in result.output
    assert invoke("rules").output.startswith("CODE")


def test_run_reports_a_missing_runtime_in_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "masklint.runtime.runner", None)
    result = CliRunner().invoke(cli, ["run", "train.py"])
    assert result.exit_code == 2
    assert result.output.startswith("masklint: error: the runtime checker is unavailable")
    assert len(result.output.splitlines()) == 1


def test_run_passes_the_script_and_its_arguments(monkeypatch):
    seen = []
    fake = types.ModuleType("masklint.runtime.runner")
    fake.run_script = lambda argv, **kw: seen.append((argv, kw)) or 3
    monkeypatch.setitem(sys.modules, "masklint.runtime", types.ModuleType("masklint.runtime"))
    monkeypatch.setitem(sys.modules, "masklint.runtime.runner", fake)
    result = CliRunner().invoke(cli, ["run", "train.py", "--epochs", "2", "-q", "--help"])
    assert result.exit_code == 3
    assert seen == [(["train.py", "--epochs", "2", "-q", "--help"], {"mode": "collect", "report_file": None})]
    seen.clear()
    result = CliRunner().invoke(cli, ["run", "--mode", "raise", "--report-file", "r.json", "-m", "pkg.train", "-x"])
    assert result.exit_code == 3
    assert seen == [(["-m", "pkg.train", "-x"], {"mode": "raise", "report_file": "r.json"})]


def test_run_help_documents_its_options():
    text = CliRunner().invoke(cli, ["run", "--help"]).output
    assert text.startswith("Usage: masklint run [OPTIONS] SCRIPT [ARGS]...\n   or: masklint run [OPTIONS] -m MODULE")
    for option in ("-m MODULE", "--mode [collect|warn|raise]", "--report-file PATH"):
        assert option in text


# --------------------------------------------------------------------------- subprocess runs
def test_subprocess_exit_codes_and_no_traceback(tmp_path, masklint_cmd):
    write(tmp_path / "ok.py", "x = 1\n")
    clean = masklint_cmd("--no-cache", cwd=tmp_path)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "All checks passed!\n", "")
    write(tmp_path / "bad.py", "y = bug_ML101\n")
    dirty = masklint_cmd("--no-cache", cwd=tmp_path, fake=True)
    assert dirty.returncode == 1
    assert dirty.stdout.splitlines() == ["bad.py:1:5: ML101 fake ML101 finding", "Found 1 error."]
    usage = masklint_cmd("--select", "XX1", cwd=tmp_path)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    assert usage.stderr == "masklint: error: --select: unknown rule code or prefix 'XX1'\n"


def test_end_to_end_tril_keep_mask_into_mha(tmp_path, masklint_cmd):
    write(tmp_path / "model.py", TRIL_KEEP_MASK)
    result = masklint_cmd("--no-cache", "model.py", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("model.py:6:")
    assert " ML101 " in result.stdout.splitlines()[0]


def test_end_to_end_json_and_suppression(tmp_path, masklint_cmd):
    write(tmp_path / "model.py", TRIL_KEEP_MASK)
    data = json.loads(masklint_cmd("--no-cache", "--format", "json", cwd=tmp_path).stdout)
    assert [d["code"] for d in data] == ["ML101"]
    write(tmp_path / "model.py", TRIL_KEEP_MASK.replace("bool)))\n", "bool)))  # masklint: ignore[ML101]\n"))
    assert masklint_cmd("--no-cache", cwd=tmp_path).returncode == 0


# --------------------------------------------------------------------------- show source
def test_show_source_caret(project, fake_engine):
    write(project / "a.py", "value = bug_ML101 + 1\n")
    out = invoke("--show-source", "--no-cache").output.splitlines()
    assert out[:6] == [
        "a.py:1:9: ML101 fake ML101 finding",
        "  |",
        "1 | value = bug_ML101 + 1",
        "  |         ^^^^^^^^^",
        "  = evidence:",
        "     1. a.py:1: marker",
    ]
    assert "^" not in invoke("--no-show-source", "--no-cache").output  # CliRunner is not a TTY


# --------------------------------------------------------------------------- parallel jobs
def test_parallel_output_is_deterministic(project, fake_engine, monkeypatch):
    monkeypatch.setattr(runner, "PARALLEL_MIN_FILES", 4)
    for i in range(12):
        write(project / f"m{i:02d}" / "mod.py", "\n" * (i % 3) + "y = bug_ML101\nz = bug_ML202\n")
    write(project / "m05" / "broken.py", "def f(:\n")
    settings = Settings(root=project).finalize()
    serial = runner.lint_paths(["."], settings, jobs=1, use_cache=False)
    assert len(fake_engine) == 13
    parallel = runner.lint_paths(["."], settings, jobs=4, use_cache=False)
    assert len(fake_engine) == 13  # the 13 files went to worker processes
    assert [d.to_dict() for d in parallel.diagnostics] == [d.to_dict() for d in serial.diagnostics]
    assert len(serial.diagnostics) == 25
    assert serial.diagnostics == sorted(serial.diagnostics, key=Diagnostic.sort_key)


# --------------------------------------------------------------------------- fixes
def test_fix_writes_and_reports_remaining(project, fake_engine):
    path = write(project / "a.py", "a = fixme_ML101\nb = bug_ML202\n")
    os.chmod(path, 0o751)
    listed = invoke("--no-cache")
    assert "a.py:1:5: ML101 [*] fake" in listed.output and "[*] 1 fixable with the `--fix` option." in listed.output
    result = invoke("--fix", "--no-cache")
    assert result.exit_code == 1
    assert path.read_text() == "a = fixed\nb = bug_ML202\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert result.output == "a.py:2:5: ML202 fake ML202 finding\nFound 2 errors (1 fixed, 1 remaining).\n"
    assert sorted(p.name for p in project.iterdir()) == ["a.py"]  # no temporary file left


def test_diff_does_not_write(project, fake_engine):
    path = write(project / "a.py", "a = fixme_ML101\n")
    result = invoke("--diff", "--no-cache")
    assert result.exit_code == 1
    assert "-a = fixme_ML101\n+a = fixed\n" in result.output and "--- a/a.py" in result.output
    assert path.read_text() == "a = fixme_ML101\n"
    write(project / "a.py", "a = 1\n")
    assert invoke("--diff", "--no-cache").exit_code == 0


def test_fix_is_atomic_when_the_write_fails(project, fake_engine, monkeypatch):
    path = write(project / "a.py", "a = fixme_ML101\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_mod.os, "replace", broken_replace)
    result = CliRunner().invoke(cli, ["--fix", "--no-cache"])
    assert path.read_text() == "a = fixme_ML101\n"
    assert result.exit_code == 1
    assert "masklint: warning: a.py: not fixed: No space left on device" in result.output
    assert "a.py:1:5: ML101 [*]" in result.output
    assert sorted(p.name for p in project.iterdir()) == ["a.py"]


def test_fix_is_atomic_when_the_write_dies_midway(project, monkeypatch):
    path = write(project / "a.py", "a = b\n")
    real_fdopen = os.fdopen

    class Exploding:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            self.f.write(data[:2])
            raise KeyboardInterrupt  # killed mid-write

    monkeypatch.setattr(cache_mod.os, "fdopen", lambda fd, mode: Exploding(real_fdopen(fd, mode)))
    diag = _diag(fix=[{"line": 1, "column": 5, "end_line": 1, "end_column": 6, "replacement": "c"}])
    with pytest.raises(KeyboardInterrupt):
        fix_file(str(path), [diag], write=True)
    assert path.read_text() == "a = b\n"
    assert sorted(p.name for p in project.iterdir()) == ["a.py"]


def _diag(line=1, fix=None, code="ML101"):
    return Diagnostic(code, "x", "m", "a.py", line, 1, line, 2, "error", fix)


def _edit(line, col, end_line, end_col, text):
    return {"line": line, "column": col, "end_line": end_line, "end_column": end_col, "replacement": text}


def test_plan_fixes_edits_overlaps_and_end_of_file():
    text = "ab\r\ncd\n"
    new, fixed = plan_fixes(text, [
        _diag(1, [_edit(1, 1, 1, 2, "X"), _edit(2, 3, 3, 1, "!\n")]),
        _diag(1, [_edit(1, 1, 1, 3, "overlaps")]),  # skipped: overlaps the first fix
        _diag(2, [_edit(3, 1, 3, 1, "# end\n")]),
    ])
    assert new == "Xb\r\ncd!\n# end\n"
    assert len(fixed) == 2


@pytest.mark.parametrize("edit", [_edit(9, 1, 9, 1, ""), _edit(1, 9, 1, 9, ""), _edit(1, 3, 1, 1, ""),
                                  {"line": 1}, _edit("1", 1, 1, 1, "")])
def test_a_bad_edit_leaves_the_file_untouched(tmp_path, edit):
    path = write(tmp_path / "a.py", "ab\n")
    good = _diag(1, [_edit(1, 1, 1, 2, "X")])
    result = fix_file(str(path), [good, _diag(1, [edit])], write=True)
    assert result.error and not result.fixed
    assert path.read_text() == "ab\n"
    with pytest.raises(EditError):
        plan_fixes("ab\n", [_diag(1, [edit])])


def test_fix_keeps_encoding_and_skips_a_changed_file(tmp_path):
    path = tmp_path / "a.py"
    path.write_bytes("# -*- coding: latin-1 -*-\ns = 'é'\n".encode("latin-1"))
    result = fix_file(str(path), [_diag(2, [_edit(2, 1, 2, 2, "t")])], write=True)
    assert result.error is None
    assert path.read_bytes() == "# -*- coding: latin-1 -*-\nt = 'é'\n".encode("latin-1")
    stale = fix_file(str(path), [_diag(2, [_edit(2, 1, 2, 2, "u")])], write=True, expected_hash="0" * 64)
    assert stale.error == "the file changed while it was being linted"
    assert path.read_bytes().startswith(b"# -*- coding: latin-1 -*-\nt")


def test_fix_through_a_symlink_rewrites_the_target(tmp_path):
    target = write(tmp_path / "real.py", "ab\n")
    link = tmp_path / "link.py"
    link.symlink_to(target)
    fix_file(str(link), [_diag(1, [_edit(1, 1, 1, 2, "X")])], write=True)
    assert link.is_symlink() and target.read_text() == "Xb\n"


# --------------------------------------------------------------------------- cache
def test_cache_hit_miss_and_dependency_invalidation(project, fake_engine):
    write(project / "a.py", "# dep: helpers.py\ny = bug_ML101\n")
    helpers = write(project / "helpers.py", "def mask(): ...\n")
    first = invoke()
    assert sorted(fake_engine) == ["a.py", "helpers.py"]
    cache_dir = project / ".masklint_cache"
    assert (cache_dir / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache_dir / ".gitignore").read_text().splitlines()[-1] == "*"

    fake_engine.clear()
    second = invoke()
    assert fake_engine == [] and second.output == first.output and second.exit_code == 1

    helpers.write_text("def mask(): return 1\n")  # a dependency changed: a.py is re-analysed
    invoke()
    assert sorted(fake_engine) == ["a.py", "helpers.py"]

    fake_engine.clear()
    write(project / "a.py", "# dep: helpers.py\ny = 2\n")  # the file itself changed
    assert invoke().exit_code == 0 and fake_engine == ["a.py"]

    fake_engine.clear()
    invoke("--no-cache")
    assert sorted(fake_engine) == ["a.py", "helpers.py"]


@pytest.mark.parametrize("edit", [
    lambda e: e["diagnostics"][0].__setitem__("message", "edited by hand"),
    lambda e: e["diagnostics"][0].__setitem__("line", "three"),
    lambda e: e["diagnostics"][0].pop("severity"),
    lambda e: e["diagnostics"].append({"code": "ML101"}),
    lambda e: e.__setitem__("diagnostics", "x"),
])
def test_a_hand_edited_cache_entry_never_reaches_the_output(project, fake_engine, edit):
    write(project / "a.py", "y = bug_ML101\n")
    first = invoke()
    (result_file,) = (project / ".masklint_cache").glob("results-*.json")
    data = json.loads(result_file.read_text())
    (entry,) = data["files"].values()
    edit(entry)
    result_file.write_text(json.dumps(data))
    fake_engine.clear()
    second = invoke()
    assert fake_engine == ["a.py"]  # the entry was not trusted: the file was analysed again
    assert second.output == first.output and "edited by hand" not in second.output


def test_cache_invalidated_by_a_dependency_appearing(project, fake_engine):
    write(project / "a.py", "# dep: later.py\n")
    invoke()
    fake_engine.clear()
    invoke("a.py")
    assert fake_engine == []
    write(project / "later.py", "x = 1\n")
    invoke("a.py")
    assert fake_engine == ["a.py"]


def test_cache_depends_on_selection(project, fake_engine):
    write(project / "a.py", "y = bug_ML204\n")
    assert invoke().exit_code == 0
    assert invoke("--extend-select", "ML204").exit_code == 1
    assert invoke().exit_code == 0


def test_corrupt_cache_is_ignored(project, fake_engine):
    write(project / "a.py", "y = bug_ML101\n")
    invoke()
    for f in (project / ".masklint_cache").glob("results-*.json"):
        f.write_text("{not json")
    fake_engine.clear()
    assert invoke().exit_code == 1 and fake_engine == ["a.py"]
    for f in (project / ".masklint_cache").glob("results-*.json"):
        data = json.loads(f.read_text())
        data["files"][str(project / "a.py")]["diagnostics"] = [{"bogus": 1}]
        f.write_text(json.dumps(data))
    fake_engine.clear()
    assert invoke().exit_code == 1 and fake_engine == ["a.py"]


def test_cache_lives_in_the_config_root(tmp_path, monkeypatch, fake_engine):
    write(tmp_path / "pyproject.toml", "[tool.masklint]\n")
    write(tmp_path / "src" / "a.py", "x = 1\n")
    monkeypatch.chdir(tmp_path / "src")
    invoke("a.py")
    assert (tmp_path / ".masklint_cache").is_dir() and not (tmp_path / "src" / ".masklint_cache").exists()


def test_unwritable_cache_dir_is_not_an_error(project, fake_engine, monkeypatch):
    write(project / "a.py", "x = 1\n")
    write(project / ".masklint_cache", "a file, not a directory")
    result = invoke()
    assert result.exit_code == 0 and result.output == "All checks passed!\n"


def test_stdin_filename_without_stdin_is_a_usage_error(project, fake_engine):
    write(project / "a.py", "y = bug_ML101\n")
    result = CliRunner().invoke(cli, ["--stdin-filename", "b.py", "a.py"], input="x = 1\n")
    assert result.exit_code == 2 and fake_engine == []
    assert result.stderr.startswith("masklint: error: --stdin-filename") and "'-'" in result.stderr
    ok = CliRunner().invoke(cli, ["--stdin-filename", "b.py", "-"], input="y = bug_ML101\n")
    assert ok.exit_code == 1 and ok.stdout.startswith("b.py:1:5: ML101")
    alone = CliRunner().invoke(cli, ["--stdin-filename", "b.py"], input="y = bug_ML101\n")  # as Ruff: reads stdin
    assert alone.exit_code == 1 and alone.stdout.startswith("b.py:1:5: ML101")


def test_rule_by_kebab_case_name_and_pages_print_clean():
    by_name = invoke("rule", "keep-mask-to-block-api")
    assert by_name.exit_code == 0 and by_name.output == invoke("rule", "ML101").output
    for code in ("ML601", "ML602", "ML101"):
        page = invoke("rule", code).output
        assert "<!--" not in page and "masklint-test" not in page and page.startswith(f"# {code}")


def test_warns_when_no_python_files_are_found(tmp_path):
    (tmp_path / "notes.txt").write_text("attn_mask\n")
    r = subprocess_run([sys.executable, "-m", "masklint", "--no-cache", str(tmp_path)])
    assert r.returncode == 0
    assert "No Python files found" in r.stderr


def test_syntax_errors_use_cpythons_message_and_position(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import torch\nattn_mask = (\n")
    r = subprocess_run([sys.executable, "-m", "masklint", "--no-cache", str(bad)])
    assert r.returncode == 1
    assert f"{bad}:2:13: ML900 SyntaxError: '(' was never closed" in r.stdout


def subprocess_run(cmd):
    import subprocess

    return subprocess.run(cmd, capture_output=True, text=True)


def test_lints_standard_input_with_a_stdin_filename(tmp_path):
    import subprocess

    src = (
        "import torch\nimport torch.nn as nn\n"
        "attn = nn.MultiheadAttention(8, 2, batch_first=True)\n"
        "def f(x):\n"
        "    return attn(x, x, x, attn_mask=torch.tril(torch.ones(4, 4, dtype=torch.bool)))\n"
    )
    r = subprocess.run([sys.executable, "-m", "masklint", "--format", "json", "--stdin-filename",
                        "pkg/model.py", "-"], input=src, capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    found = json.loads(r.stdout)
    assert [(d["path"], d["line"], d["code"]) for d in found] == [("pkg/model.py", 5, "ML101")]
    clean = subprocess.run([sys.executable, "-m", "masklint", "-"], input="x = 1\n", capture_output=True,
                           text=True, cwd=tmp_path)
    assert clean.returncode == 0


# --------------------------------------------------------------------------- what a Ruff user expects (issue 9 §4)
def test_output_file_gets_the_report_and_stdout_stays_empty(project, fake_engine):
    write(project / "a.py", "y = bug_ML101\n")
    result = invoke("--no-cache", "--output-file", "report.txt", "--color", "always")
    assert result.exit_code == 1 and result.output == ""
    text = (project / "report.txt").read_text()
    assert text.startswith("a.py:1:5:") and "\x1b[" not in text and text.endswith("Found 1 error.\n")
    invoke("--no-cache", "-o", "report.json", "--format", "json")
    assert json.loads((project / "report.json").read_text())[0]["code"] == "ML101"


@pytest.mark.parametrize("args, env, colored", [
    (["--color", "always"], {}, True),
    (["--color", "always"], {"NO_COLOR": "1"}, True),
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ([], {}, False),  # not a terminal
])
def test_color_choice_and_environment(project, fake_engine, monkeypatch, args, env, colored):
    for var in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    write(project / "a.py", "y = bug_ML101\n")
    assert ("\x1b[" in invoke("--no-cache", *args).output) is colored


def test_output_format_concise_and_full(project, fake_engine):
    write(project / "a.py", "y = bug_ML101\n")
    concise = invoke("--no-cache", "--output-format", "concise", "--show-source").output.splitlines()
    assert concise[0] == "a.py:1:5: ML101 fake ML101 finding" and concise[1] == "Found 1 error."
    full = invoke("--no-cache", "--output-format", "full").output.splitlines()
    assert full[1:4] == ["  |", "1 | y = bug_ML101", "  |     ^^^^^^^^^"] and "     1. a.py:1: marker" in full


def test_show_settings_and_show_files(project, fake_engine):
    write(project / "pyproject.toml", "[tool.masklint]\nignore = ['ML205']\nextend-exclude = ['skip/']\n")
    write(project / "a.py", "x = 1\n")
    write(project / "skip" / "b.py", "x = 1\n")
    write(project / "nb.ipynb", "{}")
    settings = invoke("--show-settings").output
    assert f"config file       = {project / 'pyproject.toml'}" in settings
    assert "ML205" not in settings.split("enabled")[1].splitlines()[0] and "skip/" in settings
    assert invoke("--show-files").output.splitlines() == ["a.py", "nb.ipynb"]
    assert fake_engine == []


def test_config_key_value_overrides(project, fake_engine):
    write(project / "pyproject.toml", "[tool.masklint]\nignore = ['ML202']\n")
    write(project / "a.py", "a = bug_ML101\nb = bug_ML202\n")
    assert [d["code"] for d in json.loads(invoke("--no-cache", "--format", "json").output)] == ["ML101"]
    both = json.loads(invoke("--no-cache", "--format", "json", "--config", "ignore = []").output)
    assert [d["code"] for d in both] == ["ML101", "ML202"]
    only = json.loads(invoke("--no-cache", "--format", "json", "--config", "select = ['ML202']",
                             "--config", "ignore = []").output)
    assert [d["code"] for d in only] == ["ML202"]
    bad = CliRunner().invoke(cli, ["--no-cache", "--config", "ignore = ML202"])
    assert bad.exit_code == 2 and bad.output.startswith("masklint: error: --config 'ignore = ML202': not a TOML")
    unknown = CliRunner().invoke(cli, ["--no-cache", "--config", "ignroe = []"])
    assert unknown.exit_code == 2 and unknown.output == "masklint: error: --config: unknown key 'ignroe' in [tool.masklint]\n"


def test_fix_and_diff_say_what_unsafe_fixes_would_do(project, fake_engine):
    write(project / "a.py", "a = unsafe_ML101\nb = unsafe_ML102\n")
    fixed = invoke("--no-cache", "--fix")
    assert fixed.exit_code == 1 and "No errors fixed: 2 fixes available with `--unsafe-fixes`." in fixed.output
    diff = invoke("--no-cache", "--diff")
    assert diff.exit_code == 0 and "No errors would be fixed: 2 fixes available with `--unsafe-fixes`." in diff.stderr
    write(project / "b.py", "c = fixme_ML101\n")
    mixed = invoke("--no-cache", "--diff")
    assert "Would fix 1 error (2 more fixes available with `--unsafe-fixes`)." in mixed.stderr
    assert (project / "a.py").read_text() == "a = unsafe_ML101\nb = unsafe_ML102\n"


def test_show_fixes(project, fake_engine):
    write(project / "a.py", "a = fixme_ML101\nb = unsafe_ML102\nc = bug_ML202\n")
    available = invoke("--no-cache", "--show-fixes").output
    assert "Fixes available for 2 findings:\n- a.py:\n    1 x ML101 (keep-mask-to-block-api): Replace the marker\n" \
           "    1 x ML102 (block-mask-to-keep-api) [unsafe: --unsafe-fixes]: Replace the marker\n" in available
    applied = invoke("--no-cache", "--fix", "--show-fixes").output
    assert "Fixed 1 finding:\n- a.py:\n    1 x ML101 (keep-mask-to-block-api): Replace the marker\n" in applied


def test_add_noqa_adopts_an_existing_code_base(project, fake_engine):
    write(project / "a.py", "a = bug_ML101 + bug_ML202\nb = bug_ML101  # masklint: ignore[ML303]\nc = 1\n")
    write(project / "b.py", "def f(:\n")  # an ML900 file is left alone
    result = invoke("--no-cache", "--add-noqa")
    assert result.exit_code == 0 and result.stderr == "Added 2 masklint: ignore comments.\n"
    assert (project / "a.py").read_text() == ("a = bug_ML101 + bug_ML202  # masklint: ignore[ML101, ML202]\n"
                                              "b = bug_ML101  # masklint: ignore[ML101, ML303]\nc = 1\n")
    after = json.loads(invoke("--no-cache", "--format", "json").output)
    # what is left: the file that does not parse, and the unused ML303 (a comment for ML901 is not added)
    assert {(d["path"], d["code"]) for d in after} == {("b.py", "ML900"), ("a.py", "ML901")}


def test_output_file_parents_are_created_and_force_color_zero_is_off(project, fake_engine, monkeypatch):
    write(project / "a.py", "y = bug_ML101\n")
    invoke("--no-cache", "-o", "reports/deep/out.txt")
    assert (project / "reports" / "deep" / "out.txt").read_text().startswith("a.py:1:5:")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "0")
    assert "\x1b[" not in invoke("--no-cache").output


def test_no_unused_suppression_reported_for_a_file_that_does_not_parse(project):
    """A half-edited file: only its ML900; `--fix` must not strip its suppressions."""
    write(project / "a.py", "import torch\nx = torch.ones(3)  # masklint: ignore[ML101]\ndef f(:\n")
    result = invoke("--no-cache", "--fix", "--format", "json")
    assert [d["code"] for d in json.loads(result.output)] == ["ML900"]
    assert "# masklint: ignore[ML101]" in (project / "a.py").read_text()


def test_add_noqa_puts_the_comment_where_a_continued_line_ends(project):
    src = (
        "import torch\nimport torch.nn.functional as F\nT = 4\n"
        "future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)\n"
        "q = torch.randn(1, 1, T, 8)\n"
        "d = F.scaled_dot_product_attention(q, q, q, attn_mask=future) \\\n    + 1\n"
        'e = F.scaled_dot_product_attention(q, q, q, attn_mask=future, scale=len("""x\ny"""))\n'
    )
    write(project / "m.py", src)
    assert [d["line"] for d in json.loads(invoke("--no-cache", "--format", "json").output)] == [6, 8]
    assert invoke("--no-cache", "--add-noqa").exit_code == 0
    text = (project / "m.py").read_text()
    assert "    + 1  # masklint: ignore[ML102]\n" in text and 'y"""))  # masklint: ignore[ML102]\n' in text
    compile(text, "m.py", "exec")  # still Python, and the string's value is unchanged
    assert 'len("""x\ny""")' in text
    assert invoke("--no-cache").output == "All checks passed!\n"


def test_rules_accepts_output_format():
    rows = json.loads(invoke("rules", "--output-format", "json").output)
    assert {r["code"] for r in rows} >= {"ML101", "ML901"}
