"""``[tool.masklint]`` discovery, validation and effect; file discovery (.gitignore, excludes)."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from masklint import config as config_mod
from masklint import engine
from masklint.cli import cli
from masklint.config import SelectionLayer, Settings, discover_settings, find_config, resolve_selection
from masklint.files import discover


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="masklint")


def codes_found(*args):
    result = invoke("--format", "json", "--no-cache", *args)
    assert result.exit_code in (0, 1), result.output
    return sorted((d["path"], d["code"]) for d in json.loads(result.output))


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --------------------------------------------------------------------------- discovery
def test_config_found_by_walking_up_from_the_first_path(project, fake_engine):
    write(project / "pyproject.toml", '[tool.masklint]\nselect = ["ML2"]\n')
    write(project / "pkg" / "sub" / "a.py", "a = bug_ML101\nb = bug_ML202\n")
    assert codes_found("pkg/sub") == [("pkg/sub/a.py", "ML202")]
    assert codes_found("pkg/sub/a.py") == [("pkg/sub/a.py", "ML202")]
    assert find_config(project / "pkg" / "sub") == project / "pyproject.toml"


def test_pyproject_without_a_masklint_table_is_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.masklint]\nignore = ["ML101"]\n')
    write(tmp_path / "inner" / "pyproject.toml", "[project]\nname = 'x'\n")
    settings = discover_settings([str(tmp_path / "inner")])
    assert settings.config_path == tmp_path / "pyproject.toml" and settings.root == tmp_path
    assert "ML101" not in settings.enabled


def test_no_config_means_defaults_rooted_at_cwd(project):
    settings = discover_settings(["does/not/exist.py"])
    assert settings.config_path is None and settings.root == project
    assert "ML101" in settings.enabled and "ML204" not in settings.enabled and "ML601" not in settings.enabled


def test_explicit_config_file(project, fake_engine):
    write(project / "a.py", "a = bug_ML101\nb = bug_ML202\n")
    write(project / "ci" / "masklint.toml", 'select = ["ML101"]\n')
    write(project / "ci" / "pyproject.toml", '[tool.masklint]\nselect = ["ML202"]\n')
    assert codes_found("--config", "ci/masklint.toml") == [("a.py", "ML101")]
    assert codes_found("--config", "ci/pyproject.toml") == [("a.py", "ML202")]


def test_cli_selection_overrides_config(project, fake_engine):
    write(project / "pyproject.toml", '[tool.masklint]\nignore = ["ML204"]\nextend-select = ["ML2"]\n')
    write(project / "a.py", "a = bug_ML101\nb = bug_ML204\n")
    assert codes_found() == [("a.py", "ML101")]  # config: ignore ML204 is more specific than ML2
    assert codes_found("--select", "ML204") == [("a.py", "ML204")]
    assert codes_found("--ignore", "ML1") == []


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "body, why",
    [
        ("[tool.masklint\n", "invalid TOML"),
        ("[tool.masklint]\nselct = ['ML101']\n", "unknown key 'selct' in [tool.masklint]"),
        ("[tool.masklint]\nextend_select = ['ML101']\n", "did you mean 'extend-select'?"),
        ("[tool.masklint]\nselect = ['ML999']\n", "select: unknown rule code or prefix 'ML999'"),
        ("[tool.masklint]\nignore = 3\n", "ignore: expected a list of strings"),
        ("[tool.masklint]\nper-file-ignores = { 'tests/*' = ['XX1'] }\n", "unknown rule code or prefix 'XX1'"),
        ("[tool.masklint]\nmask-helpers = { 'a.b' = 'sideways' }\n", "polarity must be one of keep, block, additive"),
        ("[tool.masklint]\nmask-helpers = { 'not a name' = 'keep' }\n", "is not a dotted function name"),
        ("[tool.masklint]\nforce-exclude = 'yes'\n", "force-exclude: expected true or false"),
        ("[tool]\nmasklint = 1\n", "[tool.masklint] must be a table"),
        ("tool = 5\n", "tool: expected a table"),
        ("tool = 'masklint'\n", "tool: expected a table"),
    ],
)
def test_config_errors_are_one_line_and_exit_2(project, body, why):
    write(project / "pyproject.toml", body)
    write(project / "a.py", "x = 1\n")
    result = invoke()
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"masklint: error: {project / 'pyproject.toml'}: ")
    assert why in lines[0]


WRONG_VALUES = ["5", "1.5", "'text'", "true", "[1, 2]", "[[1]]", "{ a = 1 }", "{ a = [1] }", "{ 'x.y' = 2 }",
                "[{ a = 1 }]", "-1", "nan", "inf"]


@pytest.mark.parametrize("key", sorted(config_mod._KEYS))
def test_any_malformed_value_is_one_line_naming_the_key(project, key):
    """No value of a known key can reach an internal error: each is accepted, or one line naming
    the key, exit 2."""
    write(project / "a.py", "x = 1\n")
    for value in WRONG_VALUES:
        write(project / "pyproject.toml", f"[tool.masklint]\n{key} = {value}\n")
        result = invoke()
        assert "internal error" not in result.output, (key, value, result.output)
        if result.exit_code == 2:
            (line,) = result.output.splitlines()
            assert line.startswith("masklint: error: ") and key in line, (key, value, line)
        else:
            assert result.exit_code == 0, (key, value, result.output)


def test_missing_explicit_config(project):
    result = invoke("--config", "nope.toml")
    assert result.exit_code == 2 and result.output == "masklint: error: nope.toml: No such file or directory\n"


def test_config_error_in_a_subprocess_has_no_traceback(tmp_path, masklint_cmd):
    write(tmp_path / "pyproject.toml", "[tool.masklint]\nselect = [\n")
    result = masklint_cmd(cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"masklint: error: {tmp_path / 'pyproject.toml'}: invalid TOML")


# --------------------------------------------------------------------------- selection unit
def layer(select=None, extend=(), ignore=()):
    return SelectionLayer("test", None if select is None else tuple(select), tuple(extend), tuple(ignore))


def test_selection_layers():
    assert "ML204" not in resolve_selection([layer()])
    assert resolve_selection([layer(select=["ML10"])]) == {"ML101", "ML102", "ML103", "ML900"}
    assert resolve_selection([layer(select=["ML1"], ignore=["ML101"])]) == {"ML102", "ML103", "ML900"}
    assert "ML101" in resolve_selection([layer(ignore=["ML1"], extend=["ML101"])])
    assert "ML900" not in resolve_selection([layer(ignore=["ML9"])])
    assert "ML900" in resolve_selection([layer(select=["ALL"], ignore=["ALL"])])
    # the command line (second layer) wins over the configuration
    assert "ML204" in resolve_selection([layer(ignore=["ML204"]), layer(select=["ML204"])])
    assert not {c for c in resolve_selection([layer(select=["ALL"])]) if c.startswith("ML6")}


# --------------------------------------------------------------------------- per-file, helpers
def test_per_file_ignores(project, fake_engine):
    write(project / "pyproject.toml", """\
[tool.masklint.per-file-ignores]
"tests/*" = ["ML1"]
"legacy.py" = "ML202, ML101"
"src/**/gen_*.py" = ["ML202"]
""")
    body = "a = bug_ML101\nb = bug_ML202\n"
    for p in ("tests/t.py", "legacy.py", "src/x/gen_a.py", "src/ok.py"):
        write(project / p, body)
    assert codes_found() == [("src/ok.py", "ML101"), ("src/ok.py", "ML202"), ("src/x/gen_a.py", "ML101"),
                             ("tests/t.py", "ML202")]


def test_mask_helpers_reach_the_engine(project, monkeypatch):
    write(project / "pyproject.toml", """\
[tool.masklint.mask-helpers]
"mypkg.masks.make_pad_mask" = "block"
"utils.causal" = "KEEP"
""")
    write(project / "a.py", "x = 1\n")
    seen = []

    def spy(source, path, project=None, codes=None):
        seen.append(project)
        return engine.CheckResult([])

    monkeypatch.setattr(engine, "check_source", spy)
    assert invoke("--no-cache").exit_code == 0
    assert seen[0].settings.mask_helpers == {"mypkg.masks.make_pad_mask": "block", "utils.causal": "keep"}
    assert project in seen[0].roots


# --------------------------------------------------------------------------- file discovery
def rel(paths, root):
    return [Path(os.path.relpath(os.path.abspath(p), root)).as_posix() for p in paths]


def test_default_excludes_and_sorted_output(tmp_path):
    for p in ("b.py", "a/z.py", "a/y.txt", "a/m.pyi", ".venv/lib.py", "venv/x.py", "build/x.py", "dist/x.py",
              "node_modules/x.py", "x/__pycache__/c.py", ".tox/x.py", "x.eggs/y.py", ".eggs/y.py",
              "lib/site-packages/s.py", ".git/hooks/h.py"):
        write(tmp_path / p, "")
    found = discover([str(tmp_path)], Settings(root=tmp_path).finalize())
    assert rel(found.files, tmp_path) == ["a/z.py", "b.py", "x.eggs/y.py"]
    assert found.problems == []


def test_exclude_replaces_defaults_and_extend_exclude_adds(tmp_path):
    for p in ("build/x.py", "gen/y.py", "keep/z.py", "keep/z_pb2.py", ".git/h.py"):
        write(tmp_path / p, "")
    s = Settings(root=tmp_path, exclude=["gen/"], extend_exclude=["*_pb2.py"]).finalize()
    assert rel(discover([str(tmp_path)], s).files, tmp_path) == ["build/x.py", "keep/z.py"]


def test_explicit_files_are_always_linted_unless_force_exclude(tmp_path):
    target = write(tmp_path / "build" / "x.py", "")
    write(tmp_path / ".gitignore", "build/\n")
    s = Settings(root=tmp_path).finalize()
    assert discover([str(target)], s).files == [str(target)]
    write(tmp_path / "build" / "__pycache__" / "c.py", "")
    # a named directory is walked, its own exclusion does not count, the patterns still apply below it
    assert discover([str(tmp_path / "build")], s).files == [str(target)]
    assert discover([str(target)], s, force_exclude=True).files == []


def test_gitignore_nested_negation_and_info_exclude(tmp_path):
    root = tmp_path / "repo"
    (root / ".git" / "info").mkdir(parents=True)
    write(root / ".git" / "info" / "exclude", "secret.py\n")
    write(root / ".gitignore", "gen/\n*_gen.py\n")
    write(root / "pkg" / ".gitignore", "local.py\n!keep_gen.py\n")
    for p in ("a.py", "secret.py", "gen/g.py", "x_gen.py", "pkg/local.py", "pkg/keep_gen.py", "pkg/b.py",
              "other/local.py"):
        write(root / p, "")
    s = Settings(root=root).finalize()
    assert rel(discover([str(root)], s).files, root) == ["a.py", "other/local.py", "pkg/b.py", "pkg/keep_gen.py"]
    # walking a subdirectory still applies the parents' .gitignore files, up to the repository root
    assert rel(discover([str(root / "pkg")], s).files, root) == ["pkg/b.py", "pkg/keep_gen.py"]
    s_all = Settings(root=root, respect_gitignore=False).finalize()
    assert len(discover([str(root)], s_all).files) == 8


def test_gitignore_agrees_with_git(tmp_path):
    git = subprocess.run(["git", "--version"], capture_output=True)
    if git.returncode != 0:
        pytest.skip("git not available")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(tmp_path / ".gitignore", "*.py\n!src/\n!src/**/*.py\nsrc/skip/\n")
    for p in ("top.py", "src/a.py", "src/deep/b.py", "src/skip/c.py"):
        write(tmp_path / p, "")
    ours = rel(discover([str(tmp_path)], Settings(root=tmp_path).finalize()).files, tmp_path)
    listed = subprocess.run(["git", "ls-files", "--others", "--exclude-standard"], cwd=tmp_path,
                            capture_output=True, text=True, check=True).stdout.split()
    assert ours == sorted(p for p in listed if p.endswith(".py")) == ["src/a.py", "src/deep/b.py"]


def test_gitignore_respected_end_to_end(project, fake_engine):
    write(project / ".gitignore", "generated/\n")
    write(project / "generated" / "a.py", "a = bug_ML101\n")
    write(project / "b.py", "b = bug_ML101\n")
    assert codes_found() == [("b.py", "ML101")]
    assert codes_found("generated/a.py") == [("generated/a.py", "ML101")]


def test_duplicates_and_overlapping_paths(project, fake_engine):
    write(project / "pkg" / "a.py", "a = bug_ML101\n")
    assert codes_found("pkg", "pkg/a.py", "./pkg/../pkg") == [("pkg/a.py", "ML101")]
    assert fake_engine == ["pkg/a.py"]


def test_symlinked_directories_are_not_followed(tmp_path):
    write(tmp_path / "pkg" / "a.py", "")
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path)  # would recurse forever if followed
    (tmp_path / "link.py").symlink_to(tmp_path / "pkg" / "a.py")
    found = discover([str(tmp_path)], Settings(root=tmp_path).finalize())
    assert rel(found.files, tmp_path) == ["link.py", "pkg/a.py"]


def test_mask_helpers_give_unseen_builders_a_polarity(project):
    """A builder the analysis cannot see into (another package) gets the configured polarity."""
    write(project / "pyproject.toml", '[tool.masklint.mask-helpers]\n"mylib.masks.keep_mask" = "keep"\n'
                                      '"mylib.masks.pad_block" = "block"\n"mylib.masks.bias" = "additive"\n')
    write(project / "m.py", """\
import torch
import torch.nn as nn
import torch.nn.functional as F
from mylib.masks import bias, keep_mask, pad_block

mha = nn.MultiheadAttention(8, 2)
x = torch.randn(4, 2, 8)
mha(x, x, x, attn_mask=keep_mask(4))
mha(x, x, x, attn_mask=~keep_mask(4))
q = torch.randn(1, 2, 4, 4)
F.scaled_dot_product_attention(q, q, q, attn_mask=pad_block(4))
F.scaled_dot_product_attention(q, q, q, attn_mask=~pad_block(4))
F.scaled_dot_product_attention(q, q, q, attn_mask=bias(4))
""")
    lines = lambda: sorted((d["line"], d["code"]) for d in json.loads(invoke("--format", "json", "--no-cache",
                                                                             "m.py").output))
    assert lines() == [(8, "ML101"), (11, "ML102")]
    write(project / "pyproject.toml", "[tool.masklint]\n")
    assert lines() == []  # unknown without the setting: silent
