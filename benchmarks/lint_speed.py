#!/usr/bin/env python3
"""How fast is the static linter on a real repository?

One run measures, on the same directory and in the same session:

* ``ast``        - a baseline: CPython's ``ast.parse`` over every ``.py`` file, one process.
                   It normalises for machine speed (masklint_cold / ast is comparable across
                   machines, seconds are not).
* ``cold``       - ``python -m masklint --no-cache --exit-zero --format json DIR``
                   (``--jobs`` left at masklint's default unless ``--jobs`` is given here).
* ``warm``       - the same command with the cache on: a priming run into a throwaway cache,
                   then the timed re-run over unchanged files.
* ``torchfix``   - ``torchfix DIR`` (optional, ``--torchfix PATH``; TorchFix uses every core
                   by default, through LibCST's parallel codemod runner).

Every measurement is the wall time of a child process (interpreter start-up included), repeated
``--repeat`` times; the table reports medians and the CPU time (user+sys of the child and its
workers).  Nothing is written into DIR: the cache goes to a temporary directory, which is also the
working directory of every child.

    python benchmarks/lint_speed.py /path/to/repo --torchfix /path/to/venv/bin/torchfix
    python benchmarks/lint_speed.py /path/to/repo --repeat 5 --json speed.json

Exit status: 0 when every masklint run succeeded, 1 when one failed (crash, bad JSON, timeout).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence

SKIP_DIRS = {".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "__pycache__", "node_modules",
             ".mypy_cache", ".pytest_cache", ".masklint_cache", "build", "dist"}

# Environment variables a linter might read for its cache location; all point into the temp dir,
# so that whichever one masklint honours, its cache lands there and not in the measured tree.
CACHE_ENV_VARS = ("MASKLINT_CACHE_DIR", "MASKLINT_CACHE", "XDG_CACHE_HOME")

AST_BASELINE = r"""
import ast, sys, time, warnings
warnings.simplefilter("ignore")
paths = open(sys.argv[1], encoding="utf-8").read().splitlines()
ok = bad = 0
t0 = time.perf_counter()
for p in paths:
    try:
        with open(p, "rb") as f:
            ast.parse(f.read(), filename=p)
        ok += 1
    except (SyntaxError, ValueError, UnicodeDecodeError, OSError):
        bad += 1
print(ok, bad, time.perf_counter() - t0)
"""

TORCHFIX_FINDING = re.compile(r"^.+?:\d+:\d+: TOR\d+ ", re.M)
TORCHFIX_CHECKED = re.compile(r"Finished checking (\d+) files")


# --------------------------------------------------------------------------------------------
# files

def python_files(root: Path) -> List[Path]:
    out: List[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(".py"):
                out.append(Path(dirpath) / name)
    return out


def file_stats(files: Sequence[Path]) -> Dict[str, int]:
    lines = size = torch_files = 0
    for p in files:
        try:
            data = p.read_bytes()
        except OSError:
            continue
        size += len(data)
        lines += data.count(b"\n")
        if b"torch" in data:  # TorchFix only parses files that mention "torch"
            torch_files += 1
    return {"py_files": len(files), "py_lines": lines, "py_bytes": size, "torch_files": torch_files}


# --------------------------------------------------------------------------------------------
# running children

class Run:
    def __init__(self, wall: float, cpu: float, rc: int, stdout: str, stderr: str, timed_out: bool):
        self.wall, self.cpu, self.rc = wall, cpu, rc
        self.stdout, self.stderr, self.timed_out = stdout, stderr, timed_out


def run(cmd: Sequence[str], cwd: Path, env: Dict[str, str], timeout: float) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    timed_out = False
    try:
        p = subprocess.run(list(cmd), cwd=str(cwd), env=env, capture_output=True, timeout=timeout)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        timed_out, rc = True, -9
        out, err = e.stdout or b"", e.stderr or b""
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), timed_out)


def tail(text: str, n: int = 1500) -> str:
    return text if len(text) <= n else "..." + text[-n:]


def masklint_help(python: str, env: Dict[str, str], cwd: Path) -> Optional[str]:
    r = run([python, "-m", "masklint", "--help"], cwd, env, 60)
    return r.stdout + r.stderr if r.rc == 0 else None


def parse_masklint_json(stdout: str) -> Optional[List[dict]]:
    try:
        data = json.loads(stdout)
    except ValueError:
        return None
    if isinstance(data, dict):  # tolerate {"diagnostics": [...]} style envelopes
        for key in ("diagnostics", "findings", "results"):
            if isinstance(data.get(key), list):
                return data[key]
        return None
    return data if isinstance(data, list) else None


def summarise_findings(diags: List[dict]) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for d in diags:
        code = str(d.get("code", "?"))
        counts[code] = counts.get(code, 0) + 1
    return dict(sorted(counts.items()))


# --------------------------------------------------------------------------------------------
# the benchmark

def median(xs: List[float]) -> Optional[float]:
    return statistics.median(xs) if xs else None


def ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return a / b if a is not None and b else None


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("directory", type=Path, help="repository (or any directory) to lint")
    ap.add_argument("--repeat", "-n", type=int, default=3, help="runs of each measurement (default 3)")
    ap.add_argument("--python", default=sys.executable,
                    help="interpreter that runs `-m masklint` and the ast baseline (default: this one)")
    ap.add_argument("--jobs", type=int, default=None, help="pass --jobs N to masklint (default: its own)")
    ap.add_argument("--torchfix", metavar="PATH", default=None,
                    help="TorchFix executable (its own venv is fine); omitted: TorchFix is skipped")
    ap.add_argument("--torchfix-select", default=None,
                    help="pass --select to TorchFix (e.g. ALL); default: TorchFix's default rules")
    ap.add_argument("--torchfix-jobs", type=int, default=None, help="pass --jobs to TorchFix")
    ap.add_argument("--skip-warm", action="store_true", help="do not measure the cached re-run")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per child run (default 1800)")
    ap.add_argument("--json", metavar="OUT", type=Path, default=None, help="also write results as JSON")
    ap.add_argument("--keep-temp", action="store_true", help="keep the temp dir (cache) for inspection")
    args = ap.parse_args(argv)

    root = args.directory.resolve()
    if not root.is_dir():
        ap.error(f"not a directory: {root}")
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")
    torchfix = None
    if args.torchfix:
        torchfix = shutil.which(args.torchfix) or args.torchfix
        if not os.access(torchfix, os.X_OK):
            ap.error(f"--torchfix: not an executable: {args.torchfix}")

    files = python_files(root)
    stats = file_stats(files)
    tmp = Path(tempfile.mkdtemp(prefix="masklint-speed-"))
    pre_existing_cache = (root / ".masklint_cache").exists()
    failures: List[str] = []
    results: Dict[str, dict] = {}

    def base_env(cache_dir: Path) -> Dict[str, str]:
        env = dict(os.environ)
        for var in CACHE_ENV_VARS:
            env[var] = str(cache_dir)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env

    try:
        work = tmp / "cwd"
        work.mkdir()
        list_file = tmp / "files.txt"
        list_file.write_text("\n".join(str(p) for p in files), encoding="utf-8")
        env0 = base_env(tmp / "cache-unused")

        help_text = masklint_help(args.python, env0, work)
        if help_text is None:
            print(f"error: `{args.python} -m masklint --help` failed; is masklint installed?", file=sys.stderr)
            return 1
        cache_dir_flag = "--cache-dir" if "--cache-dir" in help_text else None

        ml_cmd = [args.python, "-m", "masklint", "--exit-zero", "--format", "json"]
        if args.jobs is not None:
            ml_cmd += ["--jobs", str(args.jobs)]

        def record(name: str, runs: List[Run], extra: Optional[dict] = None) -> None:
            walls = [r.wall for r in runs]
            cpus = [r.cpu for r in runs]
            entry = {"wall_s": walls, "cpu_s": cpus, "median_wall_s": median(walls),
                     "median_cpu_s": median(cpus)}
            entry.update(extra or {})
            results[name] = entry

        def check_masklint(name: str, r: Run) -> Optional[List[dict]]:
            diags = parse_masklint_json(r.stdout) if r.rc == 0 and not r.timed_out else None
            if diags is None:
                why = "timed out" if r.timed_out else f"exit {r.rc}" if r.rc else "output is not JSON"
                failures.append(f"{name}: {why}\n{tail(r.stderr or r.stdout)}")
            return diags

        # (d) baseline: ast.parse, one process
        ast_runs, ast_info, inner = [], {}, []
        for _ in range(args.repeat):
            r = run([args.python, "-c", AST_BASELINE, str(list_file)], work, env0, args.timeout)
            ast_runs.append(r)
            if r.rc == 0:
                ok, bad, secs = r.stdout.split()
                ast_info.update(parsed=int(ok), syntax_errors=int(bad))
                inner.append(float(secs))
        ast_info.update(parse_only_s=inner, median_parse_only_s=median(inner))
        record("ast", ast_runs, ast_info)

        # (a) masklint cold
        cold_runs, cold_diags = [], None
        for _ in range(args.repeat):
            r = run(ml_cmd + ["--no-cache", str(root)], work, env0, args.timeout)
            cold_runs.append(r)
            d = check_masklint("masklint cold", r)
            if d is not None:
                cold_diags = d
        cold_extra = {"command": " ".join(ml_cmd + ["--no-cache", "DIR"])}
        if cold_diags is not None:
            cold_extra.update(findings=len(cold_diags), by_code=summarise_findings(cold_diags))
        record("masklint_cold", cold_runs, cold_extra)

        # (b) masklint warm: fresh cache per repetition, prime it, time the second run
        if not args.skip_warm:
            prime_runs, warm_runs, warm_diags = [], [], None
            where = set()
            for i in range(args.repeat):
                # a fresh cache dir and a fresh working dir (the default project root, where
                # masklint keeps .masklint_cache/) for each repetition: every prime run is cold
                cache, rep_cwd = tmp / f"cache{i}", tmp / f"cwd{i}"
                cache.mkdir()
                rep_cwd.mkdir()
                env = base_env(cache)
                cmd = ml_cmd + (["--cache-dir", str(cache)] if cache_dir_flag else []) + [str(root)]
                p = run(cmd, rep_cwd, env, args.timeout)
                prime_runs.append(p)
                check_masklint("masklint prime", p)
                w = run(cmd, rep_cwd, env, args.timeout)
                warm_runs.append(w)
                d = check_masklint("masklint warm", w)
                if d is not None:
                    warm_diags = d
                for cand in (cache, rep_cwd):  # both start empty: whatever appears is the cache
                    if any(hit.is_file() for hit in cand.rglob("*")):
                        where.add(str(cand))
                if (root / ".masklint_cache").exists() and not pre_existing_cache:
                    # DIR has its own [tool.masklint]: the cache went into it; remove ours
                    where.add(str(root / ".masklint_cache") + " (inside the linted tree; removed)")
                    shutil.rmtree(root / ".masklint_cache", ignore_errors=True)
            warm_extra = {"cache_written_under": sorted(where), "prime_wall_s": [r.wall for r in prime_runs],
                          "median_prime_wall_s": median([r.wall for r in prime_runs])}
            if warm_diags is not None:
                warm_extra.update(findings=len(warm_diags), by_code=summarise_findings(warm_diags))
                if cold_diags is not None:
                    key = lambda d: (d.get("path"), d.get("line"), d.get("column"), d.get("code"))  # noqa: E731
                    warm_extra["same_findings_as_cold"] = sorted(map(key, cold_diags)) == sorted(map(key, warm_diags))
            record("masklint_warm", warm_runs, warm_extra)

        # (c) TorchFix
        if torchfix:
            tf_cmd = [torchfix]
            if args.torchfix_select:
                tf_cmd += ["--select", args.torchfix_select]
            if args.torchfix_jobs:
                tf_cmd += ["--jobs", str(args.torchfix_jobs)]
            tf_runs = []
            tf_extra: dict = {"command": " ".join(tf_cmd + ["DIR"]),
                              "parallelism": (f"--jobs {args.torchfix_jobs}" if args.torchfix_jobs
                                              else f"default: all cores ({os.cpu_count()})"),
                              "note": "TorchFix parses only files containing the string 'torch'"}
            for _ in range(args.repeat):
                r = run(tf_cmd + [str(root)], work, dict(os.environ), args.timeout)
                tf_runs.append(r)
                if r.timed_out or r.rc not in (0, 1):
                    tf_extra.setdefault("errors", []).append(f"exit {r.rc}: {tail(r.stderr, 500)}")
                m = TORCHFIX_CHECKED.search(r.stderr)
                if m:
                    tf_extra["files_checked"] = int(m.group(1))
                tf_extra["findings"] = len(TORCHFIX_FINDING.findall(r.stdout))
                tf_extra["exit_code"] = r.rc
            record("torchfix", tf_runs, tf_extra)
    finally:
        if (root / ".masklint_cache").exists() and not pre_existing_cache:
            shutil.rmtree(root / ".masklint_cache", ignore_errors=True)
        if args.keep_temp:
            print(f"temp dir kept: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    med = {k: v["median_wall_s"] for k, v in results.items()}
    ratios = {
        "masklint_cold/torchfix": ratio(med.get("masklint_cold"), med.get("torchfix")),
        "masklint_warm/masklint_cold": ratio(med.get("masklint_warm"), med.get("masklint_cold")),
        "masklint_cold/ast_baseline": ratio(med.get("masklint_cold"), med.get("ast")),
        "torchfix/ast_baseline": ratio(med.get("torchfix"), med.get("ast")),
    }
    report = {
        "directory": str(root),
        "files": stats,
        "repeat": args.repeat,
        "machine": {"cpu_count": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "interpreter": args.python},
        "results": results,
        "ratios": ratios,
        "failures": failures,
    }

    print_table(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 1 if failures else 0


def fmt(x: Optional[float], spec: str = "8.2f") -> str:
    return format(x, spec) if x is not None else "-".rjust(int(spec.split(".")[0]) if spec[0].isdigit() else 1)


def print_table(report: dict) -> None:
    f = report["files"]
    print(f"directory: {report['directory']}")
    print(f"files: {f['py_files']} .py ({f['py_lines']} lines, {f['py_bytes'] / 1e6:.1f} MB); "
          f"{f['torch_files']} mention 'torch'")
    print(f"machine: {report['machine']['cpu_count']} cores, Python {report['machine']['python']}; "
          f"median of {report['repeat']} runs\n")
    print(f"{'measurement':<16}{'wall s':>9}{'cpu s':>9}   detail")
    labels = {"ast": "ast baseline", "masklint_cold": "masklint cold",
              "masklint_warm": "masklint warm", "torchfix": "torchfix"}
    for key, label in labels.items():
        r = report["results"].get(key)
        if r is None:
            continue
        detail = []
        if "findings" in r:
            detail.append(f"{r['findings']} findings")
        if r.get("by_code"):
            detail.append(" ".join(f"{c}:{n}" for c, n in r["by_code"].items()))
        if key == "ast" and "parsed" in r:
            detail.append(f"{r['parsed']} parsed, {r['syntax_errors']} syntax errors")
        if key == "masklint_warm":
            detail.append(f"prime run {fmt(r.get('median_prime_wall_s'), '.2f')} s")
            detail.append("cache in " + (", ".join(r.get("cache_written_under") or []) or "? (nothing written)"))
            if "same_findings_as_cold" in r:
                detail.append("same findings as cold" if r["same_findings_as_cold"] else "FINDINGS DIFFER FROM COLD")
        if key == "torchfix":
            detail.append(f"{r.get('files_checked', '?')} files checked, {r['parallelism']}")
        print(f"{label:<16}{fmt(r['median_wall_s'], '9.2f')}{fmt(r['median_cpu_s'], '9.2f')}   {'; '.join(detail)}")
    print()
    for name, value in report["ratios"].items():
        if value is not None:
            print(f"{name:<30}{value:8.3f}")
    for fail in report["failures"]:
        print(f"\nFAILED {fail}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
