"""Output formats: text, json, sarif (2.1.0), github (Actions workflow commands)."""
from __future__ import annotations

import json
import os
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional

import masklint
from masklint.diagnostics import Diagnostic, evidence_text
from masklint.rules.base import all_rules

FORMATS = ("text", "json", "sarif", "github")
OUTPUT_FORMATS = ("text", "full", "concise", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


class Style:
    """ANSI styling, on only for a terminal (and never with NO_COLOR)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text

    def bold(self, t: str) -> str:
        return self(t, "1")

    def red(self, t: str) -> str:
        return self(t, "1;31")

    def cyan(self, t: str) -> str:
        return self(t, "36")

    def dim(self, t: str) -> str:
        return self(t, "2")


def format_text(diagnostics: List[Diagnostic], show_source: bool = False, color: bool = False,
                unsafe_fixes: bool = False) -> str:
    """``show_source``: the full form (the source line with a caret, then ``help:``, the evidence
    as numbered steps and the mask's picture), else one line per finding (concise)."""
    style = Style(color)
    out = []
    sources: Dict[str, Optional[List[str]]] = {}
    for d in diagnostics:
        fixable = " [*]" if d.fix and (d.fix_applicability != "unsafe" or unsafe_fixes) else ""
        loc = d.location.split(":")
        head = style.cyan(":").join([style.bold(loc[0]), *loc[1:]])
        out.append(f"{head}{style.cyan(':')} {style.red(d.code)}{fixable} {d.message}")
        if not show_source:
            continue
        text = _source_line(d, sources)
        gutter = " " * len(str(d.line))
        if text is not None:
            width = max(1, d.end_column - d.column) if d.end_line == d.line else max(1, len(text) - d.column + 1)
            pad = "".join("\t" if ch == "\t" else " " for ch in text[: d.column - 1])
            out.append(f"{style.dim(gutter + ' |')}")
            out.append(f"{style.dim(str(d.line) + ' |')} {text}")
            out.append(f"{style.dim(gutter + ' |')} {pad}{style.red('^' * width)}")
        for label, value in (("help", d.help), ("note", d.note)):
            if value:
                out.append(f"{style.dim(gutter + ' =')} {style.bold(label + ':')} {value}")
        if d.evidence:
            out.append(f"{style.dim(gutter + ' =')} {style.bold('evidence:')}")
            for i, step in enumerate(d.evidence, 1):
                out.append(f"{style.dim(gutter + '   ')} {i}. {evidence_text(step)}")
        if d.picture:
            first, *grid = d.picture.splitlines()
            out.append(f"{style.dim(gutter + ' =')} {first}")
            out.extend(f"{style.dim(gutter + '   ')} {row}" for row in grid)
        out.append("")
    return "\n".join(out) + ("\n" if out else "")


def _source_line(d: Diagnostic, cache: Dict[str, Optional[List[str]]]) -> Optional[str]:
    key = d.path if d.cell is None else f"{d.path}\0{d.cell}"
    if key not in cache:
        cache[key] = None
        try:
            from masklint.runner import source_text  # what the linter read (a notebook: the cell)

            text = source_text(d.path, d.cell)
            cache[key] = text.splitlines() if text is not None else None
        except Exception:  # noqa: BLE001 - a snippet is a nicety; the finding is still printed
            pass
    lines = cache[key]
    if lines is None or not 1 <= d.line <= len(lines):
        return None
    return lines[d.line - 1]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_text(diagnostics: List[Diagnostic], fixable: int, fixed=0, hidden: int = 0) -> str:
    """Ruff's summary, with errors and warnings counted apart: "Found 3 errors and 1 warning.".
    ``fixed``: the diagnostics fixed (or how many, all counted as errors)."""
    fixed_list = list(fixed) if not isinstance(fixed, int) else [None] * fixed
    count = len(diagnostics)
    if count == 0 and not fixed_list:
        return "All checks passed!\n"
    everything = list(diagnostics) + fixed_list
    warnings = sum(1 for d in everything if d is not None and d.severity == "warning")
    errors = len(everything) - warnings
    parts = [_plural(errors, "error")] if errors or not warnings else []
    if warnings:
        parts.append(_plural(warnings, "warning"))
    found = " and ".join(parts)
    if fixed_list:
        line = f"Found {found} ({len(fixed_list)} fixed, {count} remaining).\n"
    else:
        line = f"Found {found}.\n"
    if fixable:
        line += f"[*] {fixable} fixable with the `--fix` option.\n"
    if hidden:
        line += (f"{hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with the `--unsafe-fixes` "
                 "option (they change results: that is the bug being fixed).\n")
    return line


def format_fixes(diagnostics: List[Diagnostic], applied: bool, unsafe_fixes: bool = False) -> str:
    """``--show-fixes``: the fixes applied (``applied``) or available, by file and code."""
    if not diagnostics:
        return "No fixes applied.\n" if applied else "No fixes available.\n"
    by_path: Dict[str, Counter] = {}
    titles: Dict[str, str] = {}
    for d in diagnostics:
        key = f"{d.code} ({d.name})" + ("" if applied or d.fix_applicability != "unsafe" or unsafe_fixes
                                        else " [unsafe: --unsafe-fixes]")
        by_path.setdefault(d.path, Counter())[key] += 1
        titles.setdefault(key, d.fix_title or "")
    n = len(diagnostics)
    lines = [f"{'Fixed' if applied else 'Fixes available for'} {_plural(n, 'finding')}:"]
    for path in sorted(by_path):
        lines.append(f"- {path}:")
        for key, count in sorted(by_path[path].items()):
            lines.append(f"    {count} x {key}" + (f": {titles[key]}" if titles[key] else ""))
    return "\n".join(lines) + "\n"


def format_settings(settings) -> str:
    """``--show-settings``: what this run would use, one ``key = value`` per line (TOML values)."""
    rows = [
        ("config file", str(settings.config_path) if settings.config_path else "(none: defaults)"),
        ("project root", str(settings.root)),
        ("enabled", ", ".join(sorted(settings.enabled))),
        ("exclude", ", ".join(settings.exclude_patterns)),
        ("per-file-ignores", json.dumps(settings.per_file_ignores) if settings.per_file_ignores else "{}"),
        ("mask-helpers", json.dumps(settings.mask_helpers) if settings.mask_helpers else "{}"),
        ("force-exclude", str(settings.force_exclude).lower()),
        ("respect-gitignore", str(settings.respect_gitignore).lower()),
        ("file-timeout", f"{settings.file_timeout:g}"),
    ]
    width = max(len(k) for k, _ in rows)
    return "".join(f"{k:<{width}} = {v}\n" for k, v in rows)


def statistics(diagnostics: List[Diagnostic]) -> List[dict]:
    counts = Counter(d.code for d in diagnostics)
    fixable = Counter(d.code for d in diagnostics if d.fix)
    names = {d.code: d.name for d in diagnostics}
    rows = [{"code": code, "name": names[code], "count": n, "fixable": fixable[code] > 0}
            for code, n in counts.items()]
    return sorted(rows, key=lambda r: (-r["count"], r["code"]))


def format_statistics(diagnostics: List[Diagnostic], fmt: str = "text") -> str:
    """Findings per code, most frequent first, then the total.  Columns: the count, the code,
    ``[*]`` when some of them carry a fix, the rule's name."""
    rows = statistics(diagnostics)
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    if not rows:
        return ""
    width = max(len(str(len(diagnostics))), len("count"))
    lines = [f"{'count':>{width}}  code   fix  rule"]
    lines += [f"{r['count']:>{width}}  {r['code']}  {'[*]' if r['fixable'] else '   '}  {r['name']}" for r in rows]
    lines.append(f"{len(diagnostics):>{width}}  total ({_plural(len(rows), 'rule')}; [*]: a fix is available, "
                 "see --fix and --unsafe-fixes)")
    return "".join(line.rstrip() + "\n" for line in lines)


def format_json(diagnostics: List[Diagnostic]) -> str:
    return json.dumps([d.to_dict() for d in diagnostics], indent=2) + "\n"


# --------------------------------------------------------------------------- SARIF
def _level(severity: str) -> str:
    return "error" if severity == "error" else "warning"


def _uri(path: str) -> str:
    """A SARIF artifact URI: relative paths are percent-encoded URI references (resolved against
    ``%SRCROOT%``), absolute paths ``file://`` URIs (``as_uri`` encodes them)."""
    if os.path.isabs(path):
        return Path(path).as_uri()
    return urllib.parse.quote(Path(path).as_posix(), safe="/")


def _artifact(path: str) -> Dict[str, str]:
    loc = {"uri": _uri(path)}
    if not os.path.isabs(path):
        loc["uriBaseId"] = "%SRCROOT%"
    return loc


def _related(i: int, step: dict) -> dict:
    region = {"startLine": step["line"]}
    loc = {"id": i, "physicalLocation": {"artifactLocation": _artifact(step["path"]), "region": region},
           "message": {"text": f"{i}. {step['text']}"}}
    if step.get("cell") is not None:
        loc["properties"] = {"cell": step["cell"]}
    return loc


def format_sarif(diagnostics: List[Diagnostic]) -> str:
    rules = [r for r in all_rules() if not r.runtime_only]
    index = {r.code: i for i, r in enumerate(rules)}
    descriptors = [
        {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary or r.name},
            "help": {"text": f"{r.summary} (see `masklint rule {r.code}`)"},
            "defaultConfiguration": {"level": _level(r.severity), "enabled": bool(r.default)},
            "properties": {"default": bool(r.default)},
        }
        for r in rules
    ]
    results = []
    for d in diagnostics:
        result = {
            "ruleId": d.code,
            "level": _level(d.severity),
            "message": {"text": d.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": _artifact(d.path),
                    "region": {"startLine": d.line, "startColumn": d.column,
                               "endLine": d.end_line, "endColumn": d.end_column},
                }
            }],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.help:
            result["message"]["markdown"] = f"{d.message}\n\nhelp: {d.help}" + (f"\n\nnote: {d.note}" if d.note else "")
        props = {k: v for k, v in (("help", d.help), ("note", d.note), ("picture", d.picture), ("cell", d.cell)) if v}
        if d.evidence:
            props["evidence"] = [evidence_text(step) for step in d.evidence]
            related = [_related(i, step) for i, step in enumerate(d.evidence, 1) if step.get("line")]
            if related:
                result["relatedLocations"] = related
        if props:
            result["properties"] = props
        if d.fix and d.cell is None:  # a notebook's edits are in cell lines, not the file's: no SARIF fix
            result["fixes"] = [{
                "artifactChanges": [{
                    "artifactLocation": _artifact(d.path),
                    "replacements": [{
                        "deletedRegion": {"startLine": e["line"], "startColumn": e["column"],
                                          "endLine": e["end_line"], "endColumn": e["end_column"]},
                        "insertedContent": {"text": e["replacement"]},
                    } for e in d.fix],
                }]
            }]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "masklint", "version": masklint.__version__,
                                "informationUri": "https://pypi.org/project/masklint/", "rules": descriptors}},
            "columnKind": "unicodeCodePoints",  # columns count characters, as Python's do
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
            "results": results,
        }],
    }
    return json.dumps(log, indent=2) + "\n"


# --------------------------------------------------------------------------- GitHub
def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: List[Diagnostic]) -> str:
    out = []
    for d in diagnostics:
        kind = "error" if d.severity == "error" else "warning"
        if d.cell is None:
            props = (f"file={_escape_property(d.path)},line={d.line},col={d.column},"
                     f"endLine={d.end_line},endColumn={d.end_column},title={_escape_property(d.code)}")
            where = ""
        else:  # a notebook: lines of a cell are not lines of the file, so the annotation is the file's
            props = f"file={_escape_property(d.path)},title={_escape_property(d.code)}"
            where = f"cell {d.cell}:{d.line}:{d.column}: "
        text = f"{where}{d.code} {d.message}" + (f"\nhelp: {d.help}" if d.help else "")
        out.append(f"::{kind} {props}::{_escape_data(text)}")
    return "".join(line + "\n" for line in out)


def format_rules_table() -> str:
    rules = all_rules()
    rows = [(r.code, r.name, r.severity, "runtime" if r.runtime_only else ("default" if r.default else "opt-in"),
             r.summary) for r in rules]
    header = ("CODE", "NAME", "SEVERITY", "ENABLED", "SUMMARY")
    widths = [max(len(row[i]) for row in rows + [header]) for i in range(4)]
    lines = []
    for row in [header] + rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths)) + "  " + row[4])
    return "\n".join(line.rstrip() for line in lines) + "\n"
