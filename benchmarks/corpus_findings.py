"""Record masklint's findings on real code bases, and compare two records.

Precision on code nobody wrote for masklint is checked by hand: record the findings once, make a
change, record again, and read only what changed.

    python benchmarks/corpus_findings.py record /path/to/fairseq /path/to/timm -o before.json
    python benchmarks/corpus_findings.py record ... -o after.json --masklint "env PYTHONPATH=/tmp/old python -m masklint"
    python benchmarks/corpus_findings.py diff before.json after.json

A finding is keyed by corpus, path inside the corpus, code and the line's text (not its number),
so moving code around does not show as a change.
"""
from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import time
from pathlib import Path


def _line(path: Path, number: int) -> str:
    try:
        return path.read_text(errors="replace").splitlines()[number - 1].strip()
    except (OSError, IndexError):
        return ""


def record(corpora, command: str, out: Path) -> None:
    rows = []
    for corpus in corpora:
        corpus = corpus.resolve()
        argv = shlex.split(command) + ["--no-cache", "--output-format", "json", "--exit-zero", str(corpus)]
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, cwd="/")
        took = time.perf_counter() - start
        if done.returncode not in (0, 1):
            print(f"{corpus.name}: masklint exited {done.returncode}: {done.stderr[-500:]}", file=sys.stderr)
            continue
        found = json.loads(done.stdout or "[]")
        print(f"{corpus.name}: {len(found)} findings in {took:.1f} s")
        for f in found:
            path = Path("/", f["path"])  # masklint ran from /
            rows.append({"corpus": corpus.name, "path": str(path.relative_to(corpus)), "line": f["line"],
                         "code": f["code"], "text": _line(path, f["line"]), "message": f["message"]})
    out.write_text(json.dumps(rows, indent=1))
    print(f"{len(rows)} findings -> {out}")


def diff(old: Path, new: Path) -> None:
    def keyed(rows):
        return {(r["corpus"], r["path"], r["code"], r["text"]): r for r in rows}
    a, b = keyed(json.loads(old.read_text())), keyed(json.loads(new.read_text()))
    gone, came = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    print(f"{len(a)} -> {len(b)} findings; {len(gone)} gone, {len(came)} new")
    for label, keys, table in (("-", gone, a), ("+", came, b)):
        for k in keys:
            r = table[k]
            print(f"{label} {r['corpus']}/{r['path']}:{r['line']} {r['code']} {r['message'][:160]}")
    if not gone and not came:
        print("SAME")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("corpora", nargs="+", type=Path)
    rec.add_argument("-o", "--out", type=Path, required=True)
    rec.add_argument("--masklint", default=f"{sys.executable} -m masklint")
    cmp_ = sub.add_parser("diff")
    cmp_.add_argument("old", type=Path)
    cmp_.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "record":
        record(args.corpora, args.masklint, args.out)
    else:
        diff(args.old, args.new)


if __name__ == "__main__":
    main()
