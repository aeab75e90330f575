"""Suppression comments: ``# masklint: ignore[...]``, ``# noqa``, ``# masklint: ignore-file``."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from masklint.cli import cli
from masklint.diagnostics import Diagnostic
from masklint.suppress import parse_suppressions


def diag(code="ML101", line=1):
    return Diagnostic(code, "n", "m", "a.py", line, 1, line, 2, "error")


def suppressed(source, code="ML101", line=1):
    return parse_suppressions(source).suppresses(diag(code, line))


@pytest.mark.parametrize(
    "comment, code, expected",
    [
        ("# masklint: ignore[ML101]", "ML101", True),
        ("# masklint: ignore[ML101]", "ML202", False),
        ("# masklint: ignore[ML101, ML202]", "ML202", True),
        ("# masklint:ignore[ml101,ML202]", "ML101", True),
        ("# masklint: ignore", "ML404", True),
        ("# MaskLint: Ignore", "ML404", True),
        ("# noqa", "ML101", True),
        ("# NOQA", "ML101", True),
        ("# noqa: ML101", "ML101", True),
        ("# noqa:ML101,ML102", "ML102", True),
        ("# noqa: ML101 ML102", "ML102", True),
        ("# noqa: ML101", "ML102", False),
        ("# noqa: E501", "ML101", False),  # another tool's code
        ("# noqa E501", "ML101", True),  # flake8 reads this as a bare noqa
        ("# type: ignore  # noqa: ML101", "ML101", True),
        ("# masklint: ignore-file", "ML101", True),  # file-wide, see below
        ("# masklint: ignored", "ML101", False),
        ("# just a comment", "ML101", False),
    ],
)
def test_line_comments(comment, code, expected):
    assert suppressed(f"x = f()  {comment}\n" if "ignore-file" not in comment else f"{comment}\n", code) is expected


def test_comment_applies_to_its_own_line_only():
    source = "a = 1  # noqa: ML101\nb = 2\n"
    assert suppressed(source, line=1) and not suppressed(source, line=2)


@pytest.mark.parametrize("source", [
    's = "# noqa"\n',
    's = "x  # masklint: ignore[ML101]"\n',
    "s = '''\n# masklint: ignore-file\n'''\n",
    'f"{x}  # noqa"\n',
])
def test_comment_syntax_inside_strings_does_not_suppress(source):
    assert not suppressed(source, line=1)
    assert not suppressed(source, line=2)


def test_ignore_file_anywhere_on_its_own_line():
    body = "import torch\n" * 50
    assert suppressed(body + "# masklint: ignore-file\n", line=3)
    assert not suppressed(body + "x = 1  # masklint: ignore-file\n", line=3)  # trailing: not file-wide
    only = "# masklint: ignore-file[ML101, ML202]\n" + body
    assert suppressed(only, "ML202", 20) and not suppressed(only, "ML404", 20)


def test_multiple_comments_on_one_line_merge():
    s = parse_suppressions("x = 1  # masklint: ignore[ML101]  # noqa: ML202\n")
    assert s.suppresses(diag("ML101")) and s.suppresses(diag("ML202")) and not s.suppresses(diag("ML301"))


def test_a_syntax_error_keeps_the_comments_before_it():
    source = "x = 1  # noqa: ML101\ny = (\n"
    assert suppressed(source, line=1)


def test_suppression_end_to_end(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.py").write_text(
        "a = bug_ML101  # masklint: ignore[ML101]\n"
        "b = bug_ML101  # noqa: ML202\n"
        'c = bug_ML101 + "# noqa"\n'
        "d = bug_ML101  # noqa\n"
    )
    (tmp_path / "b.py").write_text("x = bug_ML101\n\n# masklint: ignore-file\n")
    (tmp_path / "c.py").write_text("# masklint: ignore-file\ndef f(:\n")  # also hides the parse error
    result = CliRunner().invoke(cli, ["--format", "json", "--no-cache"])
    assert [(d["path"], d["line"]) for d in json.loads(result.output)] == [("a.py", 2), ("a.py", 3)]
