"""Score a held-out set written by someone who has not read masklint's code.

Three kinds of set, told apart by their markers:

* static (``tests/heldout/roundN``): ``# expect: MLxxx`` on each bug site of ``buggy_*`` files
  (and of files under ``pkg_buggy_*`` folders); ``ok_*`` files carry none.  A site is *found* when
  the linter reports its code on its line (``strict``); ``evidence`` also counts a finding of that
  code anywhere (a caller, another module) whose evidence names the line; ``file`` counts any finding of that code
  in the file.  Every finding in a correct file is a false positive.
* incidents (``tests/heldout/incidentsN``): ``<ID>_bug.py`` with ``# BUG`` lines and its
  ``<ID>_fixed.py``.  An incident is caught when its bug file gets any finding (``marked``: on a
  ``# BUG`` line or with evidence there); a fixed file with a finding is flagged.
* marked (``tests/heldout/round18``...): ``# BUG: what is wrong`` on each bug site of ``buggy_*``
  files and ``pkg_buggy_*`` packages, with no rule code; ``correct_*`` files and ``pkg_correct_*``
  packages carry none.  A site is found when any finding spans its line, or names it in its
  evidence (from any file); every finding in a correct file is a false positive.
* runtime (``tests/runtime/heldoutN``): ``# EXPECT: bug`` / ``# EXPECT: ok`` files with ``run()``;
  each runs plain, then under ``masklint.instrument()``, in a subprocess of its own.  A bug is
  confirmed by a confirmed finding on its ``# BUG-SITE`` line (or a call spanning it); a correct
  model must get no finding; every instrumented run must return the same tensors.

It measures, it does not assert.  ``--json FILE`` writes the per-site results.

    python benchmarks/score_heldout.py tests/heldout/round11 [-v] [--masklint "python -m masklint"]
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

EXPECT = re.compile(r"#\s*expect:\s*((?:ML\d+[ ,]*)+)", re.I)
BUG = re.compile(r"#\s*BUG\b")


def _spans(finding: dict, line: int) -> bool:
    return finding["line"] <= line <= finding.get("end_line", finding["line"])


def lint(directory: Path, command: str) -> List[dict]:
    argv = shlex.split(command) + ["--no-cache", "--output-format", "json", "--exit-zero", str(directory)]
    # not from this checkout: `python -m masklint` puts the working directory first on sys.path, which
    # would shadow the revision a --masklint "env PYTHONPATH=..." command names
    cwd = os.environ.get("SCORE_CWD") or "/"
    out = subprocess.run(argv, capture_output=True, text=True, cwd=cwd)
    if out.returncode not in (0, 1):
        sys.exit(f"masklint failed ({out.returncode}): {out.stderr[-2000:]}")
    found = json.loads(out.stdout or "[]")
    for f in found:  # paths relative to where masklint ran
        f["path"] = str(Path(cwd, f["path"]))
        for e in f.get("evidence", []):
            if e.get("path"):
                e["path"] = str(Path(cwd, e["path"]))
    return found


def _by_file(findings: List[dict]) -> Dict[str, List[dict]]:
    table: Dict[str, List[dict]] = {}
    for f in findings:
        table.setdefault(str(Path(f["path"]).resolve()), []).append(f)
    return table


def _evidence_lines(finding: dict, path: str) -> set:
    return {s["line"] for s in finding.get("evidence", []) if str(Path(s["path"]).resolve()) == path}


def _files(directory: Path, findings: List[dict]):
    """(path, resolved key, path relative to the set, the findings in that file) for each file of a set."""
    table = _by_file(findings)
    for path in sorted(directory.rglob("*.py")):
        key = str(path.resolve())
        yield path, key, str(path.relative_to(directory)), table.get(key, [])


def score_static(directory: Path, findings: List[dict], verbose: bool) -> dict:
    sites, fps = [], []
    for path, key, rel, got in _files(directory, findings):
        buggy = path.name.startswith("buggy_") or "pkg_buggy_" in rel
        marked = []
        for i, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = EXPECT.search(line)
            if m:
                marked += [(i, code) for code in re.findall(r"ML\d+", m.group(1))]
        if not buggy and not marked:
            fps += [(rel, f["line"], f["code"]) for f in got]
            continue
        for line, code in marked:
            same = [f for f in got if f["code"] == code]
            strict = any(f["line"] == line for f in same)
            # the same code reported elsewhere (a caller, another module) naming this line
            evidence = strict or any(f["code"] == code and line in _evidence_lines(f, key) for f in findings)
            sites.append({"file": rel, "line": line, "code": code, "strict": strict, "evidence": evidence,
                          "file_level": bool(same), "other": sorted({(f["line"], f["code"]) for f in got})})
    n = len(sites)
    result = {"sites": n, "strict": sum(s["strict"] for s in sites), "evidence": sum(s["evidence"] for s in sites),
              "file": sum(s["file_level"] for s in sites), "false_positives": fps, "detail": sites}
    print(f"{directory}: {result['strict']}/{n} strict, {result['evidence']}/{n} with evidence lines, "
          f"{result['file']}/{n} same code in the file; {len(fps)} findings on correct files")
    for s in sites:
        if verbose or not s["strict"]:
            mark = "ok  " if s["strict"] else ("evid" if s["evidence"] else ("file" if s["file_level"] else "MISS"))
            print(f"  {mark} {s['file']}:{s['line']} {s['code']}   got {s['other']}")
    for fp in fps:
        print(f"  FP   {fp[0]}:{fp[1]} {fp[2]}")
    return result


def score_marked(directory: Path, findings: List[dict], verbose: bool) -> dict:
    sites, fps = [], []
    for path, key, rel, got in _files(directory, findings):
        if "correct" in rel:
            fps += [(rel, f["line"], f["code"]) for f in got]
            continue
        for i, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if BUG.search(line):
                on_line = any(_spans(f, i) for f in got)
                found = on_line or any(i in _evidence_lines(f, key) for f in findings)
                sites.append({"file": rel, "line": i, "found": found, "on_line": on_line,
                              "other": sorted({(f["line"], f["code"]) for f in got})})
    n = len(sites)
    result = {"sites": n, "found": sum(s["found"] for s in sites), "on_line": sum(s["on_line"] for s in sites),
              "false_positives": fps, "detail": sites}
    print(f"{directory}: {result['found']}/{n} bug sites found ({result['on_line']} on the line); "
          f"{len(fps)} findings on correct files")
    for s in sites:
        if verbose or not s["found"]:
            mark = "ok  " if s["on_line"] else ("evid" if s["found"] else "MISS")
            print(f"  {mark} {s['file']}:{s['line']}   got {s['other']}")
    for fp in fps:
        print(f"  FP   {fp[0]}:{fp[1]} {fp[2]}")
    return result


def run_files(paths, command: str) -> Dict[str, List[dict]]:
    """``masklint run FILE`` on each file (its smoke run under the runtime checker): the confirmed
    findings in that file, by resolved path."""
    out: Dict[str, List[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            report = Path(tmp, "report.json")
            report.unlink(missing_ok=True)
            try:
                subprocess.run(shlex.split(command) + ["run", "--report-file", str(report), str(path)],
                               capture_output=True, text=True, timeout=300, cwd=path.parent)
            except subprocess.TimeoutExpired:
                continue
            data = json.loads(report.read_text()) if report.exists() else {"findings": []}
            out[str(path.resolve())] = [f for f in data["findings"] if f.get("confirmed") and not f.get("refuted")
                                        and Path(f["path"]).resolve() == path.resolve()]
    return out


def score_incidents(directory: Path, findings: List[dict], verbose: bool, runtime=None) -> dict:
    table = _by_file(findings)
    runtime = runtime or {}
    rows = []
    for bug in sorted(directory.glob("*_bug*")):
        if not (bug.name.endswith("_bug.py") or (bug.is_dir() and bug.name.endswith("_bug"))):
            continue
        ident = bug.name[: -len("_bug.py")] if bug.is_file() else bug.name[: -len("_bug")]
        fixed = bug.with_name(f"{ident}_fixed.py" if bug.is_file() else f"{ident}_fixed")
        # a pair may be two packages: every file of the bug one, every file of the fixed one
        bug_files = [str(f.resolve()) for f in ([bug] if bug.is_file() else sorted(bug.rglob("*.py")))]
        fixed_files = [str(f.resolve()) for f in ([fixed] if fixed.is_file() else sorted(fixed.rglob("*.py")))]
        got, flagged, at_run, run_flagged, marked = [], [], [], [], False
        for key in bug_files:
            marks = {i for i, line in enumerate(Path(key).read_text(errors="replace").splitlines(), 1)
                     if BUG.search(line)}
            here = table.get(key, [])
            got += here
            at_run += runtime.get(key, [])
            marked = marked or any(_spans(f, line) for f in here for line in marks) or \
                any(_evidence_lines(f, key) & marks for f in findings)
        for key in fixed_files:
            flagged += table.get(key, [])
            run_flagged += runtime.get(key, [])
        rows.append({"id": ident, "caught": bool(got), "marked": marked,
                     "codes": sorted({f["code"] for f in got}),
                     "fixed_flagged": sorted({(f["line"], f["code"]) for f in flagged}),
                     "runtime": sorted({(f["line"], f["code"]) for f in at_run}),
                     "runtime_fixed_flagged": sorted({(f["line"], f["code"]) for f in run_flagged})})
    n = len(rows)
    result = {"incidents": n, "caught": sum(r["caught"] for r in rows), "marked": sum(r["marked"] for r in rows),
              "fixed_flagged": [r["id"] for r in rows if r["fixed_flagged"]], "detail": rows}
    print(f"{directory}: {result['caught']}/{n} caught statically ({result['marked']} on a marked line); "
          f"{len(result['fixed_flagged'])} fixed versions flagged")
    if runtime:
        result["caught_any"] = sum(bool(r["caught"] or r["runtime"]) for r in rows)
        result["runtime_fixed_flagged"] = [r["id"] for r in rows if r["runtime_fixed_flagged"]]
        print(f"  with `masklint run` on each smoke run: {result['caught_any']}/{n} caught; runtime findings on "
              f"{len(result['runtime_fixed_flagged'])} fixed versions")
    for r in rows:
        if verbose or not (r["caught"] or r["runtime"]) or r["fixed_flagged"] or r["runtime_fixed_flagged"]:
            state = ("caught" if r["caught"] else "runtime" if r["runtime"] else "MISSED") + \
                (f"  FIXED FLAGGED {r['fixed_flagged']}" if r["fixed_flagged"] else "") + \
                (f"  FIXED FLAGGED AT RUN TIME {r['runtime_fixed_flagged']}" if r["runtime_fixed_flagged"] else "")
            print(f"  {r['id']:8} {state} {r['codes']} {r['runtime'] if r['runtime'] else ''}")
    return result


_RUN_ONE = r"""
import importlib.util, json, sys, torch, masklint
path = sys.argv[1]
spec = importlib.util.spec_from_file_location("heldout_model", path)
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module
spec.loader.exec_module(module)
def outcome():
    try:
        return list(module.run())
    except Exception as exc:  # a bug torch raises on: the same error both times
        return [f"{type(exc).__name__}: {exc}"]
plain = outcome()
with masklint.instrument(mode="collect") as session:
    checked = outcome()
same = len(plain) == len(checked) and all(
    (a == b) if isinstance(a, str) or isinstance(b, str) else
    a.shape == b.shape and torch.equal(torch.nan_to_num(a, nan=7.0), torch.nan_to_num(b, nan=7.0))
    for a, b in zip(plain, checked))
rows = [{"line": f.line, "code": f.code, "confirmed": bool(f.confirmed), "path": f.path}
        for f in session.findings if not f.refuted]
print("@@" + json.dumps({"same": same, "findings": rows}))
"""


def _site_lines(text: str, site: int) -> set:
    calls = [n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Call) and n.lineno <= site <= n.end_lineno]
    return {site} | {n.lineno for n in calls}


def score_runtime(directory: Path, python: str, verbose: bool) -> dict:
    rows = []
    for path in sorted(directory.glob("*.py")):
        text = path.read_text()
        if "# EXPECT:" not in text or path.name.startswith("_"):
            continue
        out = subprocess.run([python, "-c", _RUN_ONE, str(path)], capture_output=True, text=True, timeout=600)
        payload = next((line[2:] for line in out.stdout.splitlines() if line.startswith("@@")), None)
        if payload is None:
            rows.append({"file": path.name, "bug": "# EXPECT: bug" in text, "error": out.stderr[-400:]})
            continue
        data = json.loads(payload)
        own = [f for f in data["findings"] if Path(f["path"]).resolve() == path.resolve()]
        row = {"file": path.name, "bug": "# EXPECT: bug" in text, "same": data["same"],
               "findings": sorted({(f["line"], f["code"], f["confirmed"]) for f in own})}
        if row["bug"]:
            site = next(i for i, line in enumerate(text.splitlines(), 1) if "# BUG-SITE" in line)
            lines = _site_lines(text, site)
            row["confirmed"] = any(f["confirmed"] and f["line"] in lines for f in own)
        rows.append(row)
    bugs = [r for r in rows if r["bug"]]
    oks = [r for r in rows if not r["bug"]]
    result = {"bugs": len(bugs), "confirmed": sum(bool(r.get("confirmed")) for r in bugs),
              "false_positives": [r["file"] for r in oks if r.get("findings") or "error" in r],
              "changed": [r["file"] for r in rows if r.get("same") is False],
              "errors": [r["file"] for r in rows if "error" in r], "detail": rows}
    print(f"{directory}: {result['confirmed']}/{len(bugs)} confirmed; {len(result['false_positives'])} correct models "
          f"with findings; {len(result['changed'])} changed runs; {len(result['errors'])} errors")
    for r in rows:
        if verbose or (r["bug"] and not r.get("confirmed")) or (not r["bug"] and r.get("findings")) or "error" in r:
            state = "error " + r["error"][-200:] if "error" in r else (
                ("confirmed" if r.get("confirmed") else "MISSED") if r["bug"] else "ok" if not r["findings"] else "FP")
            print(f"  {r['file']:55} {state} {r.get('findings', '')}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--masklint", default=f"{sys.executable} -m masklint",
                        help="the command that runs the linter (default: this interpreter's masklint)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter for runtime sets")
    parser.add_argument("--json", type=Path, default=None, help="write the per-site results here")
    parser.add_argument("--runtime", action="store_true",
                        help="incident sets: also run each file's smoke run under `masklint run`")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    directory = args.directory.resolve()
    files = list(directory.rglob("*.py"))
    if any("# EXPECT:" in p.read_text(errors="replace") for p in files):
        result = score_runtime(directory, args.python, args.verbose)
    elif any(p.name.endswith("_bug.py") or p.parent.name.endswith("_bug") for p in files):
        runtime = run_files(sorted(p for p in files if p.name.endswith(("_bug.py", "_fixed.py"))), args.masklint) \
            if args.runtime else None
        result = score_incidents(directory, lint(directory, args.masklint), args.verbose, runtime)
    elif any(EXPECT.search(p.read_text(errors="replace")) for p in files):
        result = score_static(directory, lint(directory, args.masklint), args.verbose)
    else:
        result = score_marked(directory, lint(directory, args.masklint), args.verbose)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=list))


if __name__ == "__main__":
    main()
