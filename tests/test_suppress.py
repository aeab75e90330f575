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
    assert [(d["path"], d["line"], d["code"]) for d in json.loads(result.output)] == [
        ("a.py", 2, "ML101"), ("a.py", 2, "ML901"), ("a.py", 3, "ML101")]  # ML901: the unused ML202


# --------------------------------------------------------------------------- ML901 unused-suppression
def ml901(source: str, extra=()):
    """(line, message, fixed line) of each ML901 the runner reports for ``source``, with the fake
    engine's findings and every default rule enabled (plus ``extra``)."""
    from masklint.config import Settings
    from masklint.edits import plan_fixes
    from masklint.runner import lint_source

    settings = Settings().finalize()
    settings.enabled = settings.enabled | set(extra)
    diags = [d for d in lint_source(source.encode(), "t.py", settings, None).diagnostics if d.code == "ML901"]
    fixed, _ = plan_fixes(source, diags)
    return [(d.line, d.message, fixed.splitlines()[d.line - 1]) for d in diags]


def test_ml901_reports_what_suppresses_nothing(fake_engine):
    got = ml901("a = bug_ML101  # masklint: ignore[ML101, ML102]\n"
                "b = 1  # masklint: ignore\n"
                "c = 2  # noqa: E501, ML999\n"
                "d = bug_ML101  # masklint: ignore[ML101, E501]\n")
    assert got == [
        (1, "unused suppression `# masklint: ignore[ML101, ML102]`: ML102 not reported on this line",
         "a = bug_ML101  # masklint: ignore[ML101]"),
        (2, "unused suppression `# masklint: ignore`: nothing is reported on this line", "b = 1"),
        (3, "unused suppression `# noqa: E501, ML999`: unknown code ML999", "c = 2  # noqa: E501"),
        (4, "unused suppression `# masklint: ignore[ML101, E501]`: unknown code E501",
         "d = bug_ML101  # masklint: ignore[ML101]"),
    ]


def test_ml901_leaves_other_tools_and_other_selections_alone(fake_engine):
    assert ml901("a = 1  # noqa\n"                      # bare noqa: flake8's, pylint's...
                 "b = 1  # noqa: E501, F401\n"         # other tools' codes
                 "c = 1  # masklint: ignore[ML204]\n"  # an opt-in rule not enabled in this run
                 "d = 1  # masklint: ignore-file[ML101]\n") == []
    assert ml901("c = 1  # masklint: ignore[ML204]\n", extra={"ML204"})[0][0] == 1  # enabled: reported


def test_ml901_quieted_by_noqa_or_ignore_file_but_never_by_itself(fake_engine):
    assert ml901("a = 1  # masklint: ignore[ML101]  # noqa: ML901\n") == []
    assert ml901("# masklint: ignore-file[ML901]\na = 1  # masklint: ignore[ML101]\n") == []
    assert [line for line, _, _ in ml901("a = 1  # masklint: ignore\nb = 2  # masklint: ignore[ML901]\n")] == [1, 2]



def test_removing_an_unused_directive_leaves_no_double_blank(fake_engine):
    got = ml901("x = 1  # type: ignore  # masklint: ignore[ML101]  # pragma: no cover\n"
                "y = 2  # masklint: ignore[ML102]  # noqa: E501\n"
                "z = 3  # noqa: E501  # masklint: ignore\n")
    assert [fixed for _, _, fixed in got] == ["x = 1  # type: ignore  # pragma: no cover", "y = 2  # noqa: E501",
                                              "z = 3  # noqa: E501"]


def test_a_comment_where_a_multiline_string_or_backslash_ends_suppresses_its_first_line(fake_engine):
    assert suppressed('y = bug_ML101 + len("""a\nb""")  # masklint: ignore[ML101]\n', line=1)
    s = parse_suppressions('a = f("""x\ny""")  # noqa: ML101\nb = 1 + \\\n    2  # masklint: ignore[ML102]\n')
    assert s.lines.get(1) == frozenset({"ML101"}) and s.lines.get(3) == frozenset({"ML102"})
    assert s.lines.get(4) == frozenset({"ML102"})
