#!/usr/bin/env python3
"""Is this checkout slower than another revision?  Cold runs of both, interleaved, same interpreter.

    python benchmarks/compare_revisions.py 51f399b /path/to/repo [/path/to/another ...] --repeat 3

For each directory, the two revisions lint it alternately (``old, new, old, new, ...``) with
``python -m masklint --no-cache --exit-zero --format json DIR``; the old revision runs from a
temporary ``git worktree`` put first on ``PYTHONPATH``, the new one is this checkout.  Interleaving
spreads the machine's load swings over both.  The table gives median wall seconds and new / old.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(src: Path, directory: Path, timeout: float) -> float:
    env = dict(os.environ, PYTHONPATH=str(src))
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "masklint", "--no-cache", "--exit-zero", "--format", "json",
                           str(directory)], env=env, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, timeout=timeout)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"masklint from {src} failed on {directory}: {proc.stderr.decode()[-500:]}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old", help="the revision to compare against (any git revision)")
    ap.add_argument("directories", nargs="+", type=Path)
    ap.add_argument("--repeat", "-n", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old_src = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old_src), args.old],
                       check=True)
        try:
            print(f"{'directory':40} {'old s':>8} {'new s':>8} {'new/old':>8}")
            for directory in args.directories:
                times = {"old": [], "new": []}
                for _ in range(args.repeat):
                    times["old"].append(run(old_src, directory, args.timeout))
                    times["new"].append(run(ROOT, directory, args.timeout))
                old, new = statistics.median(times["old"]), statistics.median(times["new"])
                print(f"{str(directory)[-40:]:40} {old:8.2f} {new:8.2f} {new / old:8.3f}", flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_src)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
