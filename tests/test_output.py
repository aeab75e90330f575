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
        "",
    ]


def test_full_form_help_note_numbered_evidence_and_picture(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.py").write_text("m = torch.tril(x)\nf(attn_mask=m)\n")
    diag = d(path="a.py", line=2, column=13, end_column=14, evidence=[
        {"path": "a.py", "line": 1, "text": "torch.tril"}, {"path": "lib/x.py", "line": 7, "text": ".bool()"},
        {"path": None, "line": None, "text": "... 3 more steps"}])
    diag.help, diag.note = "invert it: `~mask`", "every query sees the future"
    diag.picture = "attn_mask as MHA reads it: rows = queries\n   01\n 0 #.\n 1 ##"
    assert format_text([diag], show_source=True).splitlines() == [
        "a.py:2:13: ML101 keep mask into MHA",
        "  |",
        "2 | f(attn_mask=m)",
        "  |             ^",
        "  = help: invert it: `~mask`",
        "  = note: every query sees the future",
        "  = evidence:",
        "     1. a.py:1: torch.tril",
        "     2. lib/x.py:7: .bool()",
        "     3. ... 3 more steps",
        "  = attn_mask as MHA reads it: rows = queries",
        "        01",
        "      0 #.",
        "      1 ##",
        "",
    ]
    assert format_text([diag]) == "a.py:2:13: ML101 keep mask into MHA\n"  # concise: one line


@pytest.mark.parametrize("errors, warnings, fixable, fixed, expected", [
    (0, 0, 0, 0, "All checks passed!\n"),
    (1, 0, 0, 0, "Found 1 error.\n"),
    (3, 0, 2, 0, "Found 3 errors.\n[*] 2 fixable with the `--fix` option.\n"),
    (1, 0, 0, 2, "Found 3 errors (2 fixed, 1 remaining).\n"),
    (0, 0, 0, 1, "Found 1 error (1 fixed, 0 remaining).\n"),
    (3, 1, 0, 0, "Found 3 errors and 1 warning.\n"),
    (1, 2, 0, 0, "Found 1 error and 2 warnings.\n"),
    (0, 1, 0, 0, "Found 1 warning.\n"),
    (0, 2, 1, 0, "Found 2 warnings.\n[*] 1 fixable with the `--fix` option.\n"),
])
def test_summary(errors, warnings, fixable, fixed, expected):
    diags = [d()] * errors + [d(severity="warning")] * warnings
    assert summary_text(diags, fixable, fixed) == expected
    assert summary_text(diags, 0, 0, hidden=1).count("1 hidden fix can") == (1 if diags else 0)
    assert "2 hidden fixes can" in summary_text([d()], 0, 0, hidden=2)


def test_json_schema():
    step = {"path": "src/a.py", "line": 2, "text": "torch.tril"}
    data = json.loads(format_json([d(evidence=[step]), d(line=9, fix=[EDIT])]))
    assert isinstance(data, list) and len(data) == 2
    for row in data:
        assert set(row) >= JSON_KEYS
        assert isinstance(row["line"], int) and isinstance(row["column"], int)
    assert data[0]["fix"] is None and data[0]["evidence"] == [step]
    assert {"help", "note", "picture", "cell"} <= set(data[0])
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
    log = json.loads(format_sarif([d(evidence=[{"path": "src/b.py", "line": 2, "text": "e1"}]), d(code="ML205", severity="warning", fix=[EDIT]),
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
    assert first["properties"]["evidence"] == ["src/b.py:2: e1"]
    (related,) = first["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"] == {"uri": "src/b.py", "uriBaseId": "%SRCROOT%"}
    assert related["physicalLocation"]["region"] == {"startLine": 2} and related["message"]["text"] == "1. e1"
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
    assert format_statistics(diags).splitlines() == [
        "count  code   fix  rule",
        "    2  ML101       keep-mask-to-block-api",
        "    1  ML205  [*]  other",
        "    3  total (2 rules; [*]: a fix is available, see --fix and --unsafe-fixes)",
    ]
    assert format_statistics([]) == ""
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


# --------------------------------------------------------------------------- readable findings, real engine
CASES = Path(__file__).parent / "cases"


def test_messages_are_short_and_evidence_is_apart():
    """Over every buggy case: a message of about 120 characters at most, no evidence chain in it,
    the evidence as steps with a path, a line and a text, and a help line for the rules that fix."""
    from masklint.config import Settings
    from masklint.runner import lint_paths

    settings = Settings(root=CASES).finalize()
    settings.enabled = frozenset(c for c in settings.enabled) | {"ML204", "ML206"}
    diags = [x for x in lint_paths([str(CASES)], settings, jobs=1, use_cache=False).diagnostics if x.code != "ML900"]
    assert len(diags) > 150
    for x in diags:
        assert len(x.message) <= 140, x.message
        assert " -> " not in x.message and " at line " not in x.message, x.message
        for step in x.evidence:
            assert isinstance(step["path"], str) and isinstance(step["text"], str), step
        if x.code in ("ML101", "ML102", "ML103", "ML201", "ML202", "ML302", "ML401", "ML402", "ML404", "ML502"):
            assert x.help, (x.code, x.message)
    assert sum(len(x.message) for x in diags) / len(diags) < 110


def test_picture_of_a_keep_mask_given_to_mha_shows_the_future_attended(tmp_path):
    from masklint.engine import check_source

    src = ("import torch\nimport torch.nn as nn\nmha = nn.MultiheadAttention(8, 2)\nx = torch.randn(4, 2, 8)\n"
           "keep = torch.tril(torch.ones(4, 4, dtype=torch.bool))\nmha(x, x, x, attn_mask=keep)\n")
    (diag,) = check_source(src, str(tmp_path / "m.py")).diagnostics
    assert diag.code == "ML101" and "(True at j <= i)" in diag.message
    title, ruler, *rows = diag.picture.splitlines()
    assert "attn_mask as nn.MultiheadAttention reads it" in title and "rows = queries" in title
    # the API blocks where True: the past and the diagonal are blocked, the future attended
    assert [r.split()[1] for r in rows] == ["#....", "##...", "###..", "####.", "#####"]
    assert diag.help and diag.note and [s["text"] for s in diag.evidence][-1] == "torch.tril"
