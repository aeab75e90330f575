"""Output formats: text, JSON, SARIF 2.1.0, GitHub Actions annotations, statistics, rules table."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import masklint
from masklint.cli import cli
from masklint.diagnostics import Diagnostic
from masklint.output import (format_github, format_json, format_rules_table, format_sarif, format_statistics,
                             format_text, summary_text)
from masklint.rules import all_rules

JSON_KEYS = {"code", "name", "message", "path", "line", "column", "end_line", "end_column", "severity", "fix",
             "evidence"}


def d(code="ML101", path="src/a.py", line=3, column=5, end_column=9, message="keep mask into MHA", fix=None,
      severity="error", evidence=()):
    return Diagnostic(code, "keep-mask-to-block-api" if code == "ML101" else "other", message, path, line, column,
                      line, end_column, severity, fix, list(evidence))


EDIT = {"line": 3, "column": 5, "end_line": 3, "end_column": 9, "replacement": "~m"}


def test_text_lines_and_fixable_marker():
    out = format_text([d(), d(line=4, fix=[EDIT])])
    assert out == ("src/a.py:3:5: ML101 keep mask into MHA\n"
                   "src/a.py:4:5: ML101 [*] keep mask into MHA\n")
    assert format_text([]) == ""


def test_text_color_only_when_asked():
    assert "\x1b[" not in format_text([d()])
    assert "\x1b[" in format_text([d()], color=True)


def test_show_source_with_tabs_and_unreadable_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.py").write_text("if x:\n\ty = f(m)\n")
    out = format_text([d(path="a.py", line=2, column=8, end_column=9), d(path="gone.py")], show_source=True)
    assert out.splitlines() == [
        "a.py:2:8: ML101 keep mask into MHA",
        "  |",
        "2 | \ty = f(m)",
        "  | \t      ^",
        "",
        "gone.py:3:5: ML101 keep mask into MHA",
    ]


@pytest.mark.parametrize("count, fixable, fixed, expected", [
    (0, 0, 0, "All checks passed!\n"),
    (1, 0, 0, "Found 1 error.\n"),
    (3, 2, 0, "Found 3 errors.\n[*] 2 fixable with the `--fix` option.\n"),
    (1, 0, 2, "Found 3 errors (2 fixed, 1 remaining).\n"),
    (0, 0, 1, "Found 1 error (1 fixed, 0 remaining).\n"),
])
def test_summary(count, fixable, fixed, expected):
    assert summary_text(count, fixable, fixed) == expected


def test_json_schema():
    data = json.loads(format_json([d(evidence=["built by torch.tril at line 2"]), d(line=9, fix=[EDIT])]))
    assert isinstance(data, list) and len(data) == 2
    for row in data:
        assert set(row) >= JSON_KEYS
        assert isinstance(row["line"], int) and isinstance(row["column"], int)
    assert data[0]["fix"] is None and data[0]["evidence"] == ["built by torch.tril at line 2"]
    assert data[1]["fix"] == [EDIT]
    assert json.loads(format_json([])) == []


def test_json_end_to_end(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    Path("a.py").write_text("y = fixme_ML101\n")
    result = CliRunner().invoke(cli, ["--format", "json", "--no-cache"])
    assert result.exit_code == 1
    (row,) = json.loads(result.output)
    assert row["path"] == "a.py" and row["code"] == "ML101" and row["severity"] == "error"
    assert (row["line"], row["column"], row["end_line"], row["end_column"]) == (1, 5, 1, 16)
    assert row["fix"][0]["replacement"] == "fixed"
    clean = CliRunner().invoke(cli, ["--format", "json", "--no-cache", "--ignore", "ML101"])
    assert clean.exit_code == 0 and json.loads(clean.output) == []


def test_sarif_structure():
    log = json.loads(format_sarif([d(evidence=["e1"]), d(code="ML205", severity="warning", fix=[EDIT]),
                                   d(path="/abs/x.py")]))
    assert log["version"] == "2.1.0" and "sarif" in log["$schema"]
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "masklint" and driver["version"] == masklint.__version__
    ids = [r["id"] for r in driver["rules"]]
    assert ids == [r.code for r in all_rules() if not r.runtime_only]
    for rule in driver["rules"]:
        assert rule["name"] and rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    first, second, third = run["results"]
    assert first["ruleId"] == "ML101" and driver["rules"][first["ruleIndex"]]["id"] == "ML101"
    assert first["level"] == "error" and first["message"]["text"] == "keep mask into MHA"
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "src/a.py", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 9}
    assert first["properties"]["evidence"] == ["e1"]
    assert second["level"] == "warning"
    replacement = second["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == "~m"
    assert third["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "file:///abs/x.py"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")


def test_github_annotations():
    out = format_github([d(), d(code="ML205", severity="warning", path="a,b:c.py", message="50% of\nrows")])
    assert out.splitlines() == [
        "::error file=src/a.py,line=3,col=5,endLine=3,endColumn=9,title=ML101::ML101 keep mask into MHA",
        "::warning file=a%2Cb%3Ac.py,line=3,col=5,endLine=3,endColumn=9,title=ML205::ML205 50%25 of%0Arows",
    ]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_every_format_from_the_cli(tmp_path, monkeypatch, fake_engine, fmt):
    monkeypatch.chdir(tmp_path)
    Path("a.py").write_text("y = bug_ML101\n")
    result = CliRunner().invoke(cli, ["--format", fmt, "--no-cache"])
    assert result.exit_code == 1
    assert "a.py" in result.output and "ML101" in result.output
    if fmt in ("json", "sarif"):
        json.loads(result.output)
    if fmt == "github":
        assert result.output.startswith("::error file=a.py,line=1,col=5,")


def test_statistics_formats():
    diags = [d(), d(line=4), d(code="ML205", fix=[EDIT])]
    assert format_statistics(diags) == "2\tML101\tkeep-mask-to-block-api\n1\tML205\t[*] other\n"
    assert json.loads(format_statistics(diags, "json"))[1] == {"code": "ML205", "name": "other", "count": 1,
                                                               "fixable": True}


def test_rules_table_lists_every_rule():
    table = format_rules_table().splitlines()
    assert len(table) == 1 + len(all_rules())
    assert any(line.startswith("ML601") and "runtime" in line for line in table)


def test_sarif_uris_are_percent_encoded_and_fixes_name_their_base():
    log = json.loads(format_sarif([d(path="src/has space#1.py", fix=[EDIT]), d(path="/abs/dir x/é.py")]))
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    rel, absolute = run["results"]
    loc = rel["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "src/has%20space%231.py", "uriBaseId": "%SRCROOT%"}
    fix_loc = rel["fixes"][0]["artifactChanges"][0]["artifactLocation"]
    assert fix_loc == loc
    assert absolute["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "file:///abs/dir%20x/%C3%A9.py"}
