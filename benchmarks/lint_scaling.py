#!/usr/bin/env python3
"""Does the static linter's cost grow with its input, and only with its input?

For each directory given, in one sitting:

* ``fractions`` - every 8th, 4th, 2nd and every ``.py`` file (sorted path order, the layout kept so
                  that imports still resolve) is copied to a temporary directory and linted cold
                  (``python -m masklint --no-cache --exit-zero --format json``).  Reported: wall
                  and CPU seconds, CPU seconds per 1,000 lines, and the peak RSS of the largest
                  process.  Goal: the cost per 1,000 lines of the four runs within 30% of each
                  other (max / min <= 1.3).
* ``files``     - every file linted in turn in one process, as one worker of a ``--jobs 1`` run
                  lints it (one project index for all, linting's collector thresholds), with its
                  time and the time the collector's full collections took during it.  Goal: no
                  file under 2,000 lines above 1 s.
* ``per line``  - with two directories or more, the CPU seconds per 1,000 lines of the full run of
                  each, against the first directory's.

    python benchmarks/lint_scaling.py /path/to/transformers /path/to/diffusers --json scaling.json

It measures, it does not assert; exit status 1 only when a run failed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lint_speed import file_stats, in_child, python_files, run  # noqa: E402

FRACTIONS = (8, 4, 2, 1)
SLOW_FILE_S, SMALL_FILE_LINES = 1.0, 2000


def copy_subset(root: Path, files: Sequence[Path], dest: Path) -> None:
    for f in files:
        target = dest / f.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)


def fraction_runs(root: Path, python: str, jobs: Optional[int], timeout: float) -> List[dict]:
    files = python_files(root)
    env = dict(os.environ, NO_COLOR="1")
    out = []
    for k in FRACTIONS:
        subset = files[::k]
        with tempfile.TemporaryDirectory(prefix="masklint-scaling-") as tmp:
            dest = Path(tmp) / root.name
            copy_subset(root, subset, dest)
            cmd = [python, "-m", "masklint", "--no-cache", "--exit-zero", "--format", "json", str(dest)]
            if jobs:
                cmd[3:3] = ["--jobs", str(jobs)]
            r = run(cmd, Path(tmp), env, timeout)
        stats = file_stats(subset)
        kl = max(stats["py_lines"], 1) / 1000
        row = {"fraction": f"1/{k}", "files": len(subset), "lines": stats["py_lines"], "wall_s": round(r.wall, 2),
               "cpu_s": round(r.cpu, 2), "cpu_s_per_kline": round(r.cpu / kl, 4),
               "wall_s_per_kline": round(r.wall / kl, 4), "peak_rss_mb": round(r.maxrss_mb or 0),
               "ok": r.rc == 0 and not r.timed_out}
        out.append(row)
        print(f"  {row['fraction']:>4} {row['files']:6,d} files {row['lines']:9,d} lines  wall {r.wall:7.2f} s  "
              f"cpu {r.cpu:7.2f} s  {row['cpu_s_per_kline']:.4f} cpu s/kline  peak {row['peak_rss_mb']:,} MB"
              + ("" if row["ok"] else f"  FAILED rc={r.rc}"), flush=True)
    return out


def time_each_file(root: str) -> dict:
    """In a child: every file linted in turn in one process, as a worker lints it."""
    import gc

    from masklint.engine import Project, check_source, time_budget
    from masklint.runner import lint_gc

    full_gc = [0.0]
    started = {}

    def collector(phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            started["t"] = time.perf_counter()
        else:
            full_gc[0] += time.perf_counter() - started.pop("t", time.perf_counter())

    gc.callbacks.append(collector)
    base = Path(root)
    project = Project([base])
    rows = []
    with lint_gc():
        for f in python_files(base):
            try:
                source = f.read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
            before, t0 = full_gc[0], time.perf_counter()
            error = None
            try:
                with time_budget(60):
                    check_source(source, str(f), project)
            except BaseException as exc:  # noqa: BLE001 - a parse failure or timeout is a result too
                error = type(exc).__name__
            rows.append({"path": str(f.relative_to(base)), "lines": source.count("\n") + 1,
                         "seconds": round(time.perf_counter() - t0, 3), "full_gc_s": round(full_gc[0] - before, 3),
                         "error": error})
    return {"files": rows, "full_gc_s": round(full_gc[0], 2)}


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("directories", type=Path, nargs="+")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--jobs", type=int, default=None, help="pass --jobs N to masklint (default: its own)")
    ap.add_argument("--no-files", action="store_true", help="skip the file-by-file timing")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    report = {"load_start": os.getloadavg(), "corpora": {}}
    failed = False
    for d in args.directories:
        d = d.resolve()
        print(f"{d}", flush=True)
        entry = {"fractions": fraction_runs(d, args.python, args.jobs, args.timeout)}
        per = [r["cpu_s_per_kline"] for r in entry["fractions"] if r["ok"]]
        failed |= not all(r["ok"] for r in entry["fractions"])
        if per:
            entry["per_kline_spread"] = round(max(per) / max(min(per), 1e-9), 3)
            print(f"  cost per 1,000 lines, max / min over the fractions: {entry['per_kline_spread']:.2f} (goal <= 1.3)")
        if not args.no_files:
            timed = in_child(time_each_file, str(d))
            slow = [r for r in timed["files"] if r["lines"] < SMALL_FILE_LINES and r["seconds"] > SLOW_FILE_S]
            slowest = sorted(timed["files"], key=lambda r: -r["seconds"])[:10]
            entry.update(slow_small_files=slow, slowest=slowest, full_gc_s=timed["full_gc_s"],
                         files_total_s=round(sum(r["seconds"] for r in timed["files"]), 2))
            print(f"  file by file, one process: {entry['files_total_s']:.1f} s, of which full collections "
                  f"{timed['full_gc_s']:.1f} s; {len(slow)} files under {SMALL_FILE_LINES:,} lines above "
                  f"{SLOW_FILE_S:g} s (goal 0)")
            for r in slowest:
                print(f"    {r['seconds']:7.2f} s {r['lines']:7,d} lines  (full gc {r['full_gc_s']:.2f} s)  {r['path']}"
                      + (f"  {r['error']}" if r["error"] else ""))
        report["corpora"][str(d)] = entry
    names = list(report["corpora"])
    if len(names) > 1:
        first = report["corpora"][names[0]]["fractions"][-1]["cpu_s_per_kline"]
        for n in names[1:]:
            mine = report["corpora"][n]["fractions"][-1]["cpu_s_per_kline"]
            print(f"CPU per 1,000 lines, {Path(n).name} / {Path(names[0]).name}: {mine / max(first, 1e-9):.2f} (goal <= 1)")
    report["load_end"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
