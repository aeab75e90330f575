#!/usr/bin/env python3
"""How fast is the static linter on a real repository?

One run measures, on the same directory and in the same session:

* ``ast``        - a baseline: CPython's ``ast.parse`` over every ``.py`` file, one process.
                   It normalises for machine speed (masklint_cold / ast is comparable across
                   machines, seconds are not).
* ``libcst``     - a baseline: ``libcst.parse_module`` over the same files, one process (the
                   parser masklint itself uses).  A file LibCST rejects counts as a failure, not a
                   crash; a file CPython's ``ast`` rejects is skipped (LibCST's native parser can
                   crash on deeply nested files that ``ast`` refuses).
* ``cold``       - ``python -m masklint --no-cache --exit-zero --format json DIR``
                   (``--jobs`` left at masklint's default unless ``--jobs`` is given here).
* ``cold -j1``   - the same with ``--jobs 1``: more jobs should never be slower than one.
* ``prime``      - the same command with the cache on, into an empty cache (cold + cache writes).
* ``warm``       - the re-run after ``prime`` over unchanged files.
* ``edit``       - after ``warm``, a new function (``def _masklint_bench_edit``) is appended to one file -
                   the file that the most other files of the tree import (``import X`` /
                   ``from X import``), else the largest - and the re-run is timed; the file is then
                   restored byte for byte.  The report says how many cached results depended on it.
* ``one file``   - ``python -m masklint --no-cache --exit-zero --format json FILE`` on one typical
                   file (the median-sized one), against ``python -c "import libcst"``: what an
                   editor or pre-commit pays per file.
* ``ruff``       - ``ruff check --no-cache --exit-zero --statistics DIR`` (optional, ``--ruff PATH``;
                   Ruff uses every core).
* ``torchfix``   - ``torchfix DIR`` (optional, ``--torchfix PATH``; TorchFix uses every core
                   by default, through LibCST's parallel codemod runner).

Every measurement is the wall time of a child process (interpreter start-up included), repeated
``--repeat`` times (the two short one-file measurements ``--short-repeat`` times) and interleaved
(``ast, libcst, cold, cold -j1, prime, warm, edit, ruff, torchfix, ast, ...``) so that load swings
of the machine fall on all of them; the table reports medians, the CPU time (user+sys of the child
and the workers it waited for) and the peak RSS of the largest process (the child or one of the
workers it waited for, from ``wait4``; on Linux never below this script's own peak, which is kept
small and reported).  Then the ratios of the speed goals, of wall times (and, for a busy machine,
of CPU times too), and the load average at the start and the end:

    masklint_cold / libcst_baseline      <= 0.5    (a whole-tree lint costs half a LibCST parse)
    masklint_cold / masklint_cold_jobs1  <= 1.0    (more jobs are never slower than one)
    masklint_edit / masklint_cold        <= 0.05   (a small edit re-lints little)
    one_file / import_libcst             <= 1.2    (one file costs little over importing LibCST)

Nothing is written into DIR: it is copied (without ``.git`` and caches) into a temporary
directory, and every linter runs on the copy (so the edit happens there); the caches and the
working directory of every child are in the temporary directory too.  The report checks that
masklint lints the same files in the copy as in DIR and records which masklint ran (its path,
and its git revision and uncommitted changes when it runs from a checkout).

    python benchmarks/lint_speed.py /path/to/repo --torchfix /path/to/venv/bin/torchfix
    python benchmarks/lint_speed.py /path/to/repo --repeat 5 --ruff ruff --json speed.json

Exit status: 0 when every masklint and baseline run succeeded, 1 when one failed (crash, bad JSON,
timeout).
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

SKIP_DIRS = {".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "__pycache__", "node_modules",
             ".mypy_cache", ".pytest_cache", ".masklint_cache", "build", "dist"}

# Not copied into the temporary tree: version control and caches (masklint, Ruff and TorchFix skip
# them anyway; the report compares masklint's file lists of DIR and the copy).
COPY_IGNORE = (".git", ".hg", ".svn", "__pycache__", ".masklint_cache", ".mypy_cache", ".pytest_cache",
               ".ruff_cache", ".tox", ".nox", ".venv", "venv", "node_modules")

# Environment variables a linter might read for its cache location; all point into the temp dir,
# so that whichever one masklint honours, its cache lands there and not in the measured tree.
CACHE_ENV_VARS = ("MASKLINT_CACHE_DIR", "MASKLINT_CACHE", "XDG_CACHE_HOME")

# A code edit, not a comment: a new function at the end of the file (which no other file runs yet)
EDIT_LINE = b"\n\n\ndef _masklint_bench_edit(x):\n    return x + 1\n"

# The ratios the speed goals are stated in: (name, numerator, denominator, goal: at most).
GOALS = (
    ("masklint_cold/libcst_baseline", "masklint_cold", "libcst", 0.5),
    ("masklint_cold/masklint_cold_jobs1", "masklint_cold", "masklint_cold_jobs1", 1.0),
    ("masklint_edit/masklint_cold", "masklint_edit", "masklint_cold", 0.05),
    ("one_file/import_libcst", "masklint_one_file", "import_libcst", 1.2),
)
OTHER_RATIOS = (
    ("masklint_cold/torchfix", "masklint_cold", "torchfix"),
    ("masklint_cold/ruff", "masklint_cold", "ruff"),
    ("masklint_warm/masklint_cold", "masklint_warm", "masklint_cold"),
    ("masklint_prime/masklint_cold", "masklint_prime", "masklint_cold"),
    ("masklint_cold/ast_baseline", "masklint_cold", "ast"),
    ("libcst_baseline/ast_baseline", "libcst", "ast"),
    ("torchfix/ast_baseline", "torchfix", "ast"),
)

AST_BASELINE = r"""
import ast, json, sys, time, warnings
warnings.simplefilter("ignore")
paths = open(sys.argv[1], encoding="utf-8").read().splitlines()
ok, bad = 0, []
t0 = time.perf_counter()
for p in paths:
    try:
        with open(p, "rb") as f:
            ast.parse(f.read(), filename=p)
        ok += 1
    except (SyntaxError, ValueError, UnicodeDecodeError, OSError, RecursionError, MemoryError):
        bad.append(p)
secs = time.perf_counter() - t0
print(json.dumps({"ok": ok, "bad": bad, "secs": secs}))
"""

LIBCST_BASELINE = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
t_import = time.perf_counter()
import libcst
t_import = time.perf_counter() - t_import
paths = open(sys.argv[1], encoding="utf-8").read().splitlines()
skip = set(open(sys.argv[2], encoding="utf-8").read().splitlines())
ok, bad, skipped = 0, [], 0
t0 = time.perf_counter()
for p in paths:
    if p in skip:
        skipped += 1
        continue
    try:
        with open(p, "rb") as f:
            libcst.parse_module(f.read())
        ok += 1
    except Exception as exc:  # ParserSyntaxError, RecursionError, ...: a failure, not a crash
        bad.append([p, type(exc).__name__])
secs = time.perf_counter() - t0
print(json.dumps({"ok": ok, "bad": bad, "skipped": skipped, "secs": secs, "import_s": t_import,
                  "version": __import__("importlib.metadata").metadata.version("libcst")}))
"""

MASKLINT_WHERE = r"""
import json, masklint
print(json.dumps({"file": masklint.__file__, "version": getattr(masklint, "__version__", None)}))
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


def copy_tree(root: Path, dest: Path) -> None:
    """``root`` into ``dest`` without version control and caches; symlinks stay links.  A git
    repository's ``.git/info/exclude`` is kept (masklint honours it, like ``.gitignore``)."""
    shutil.copytree(root, dest, symlinks=True, ignore=shutil.ignore_patterns(*COPY_IGNORE))
    exclude = root / ".git" / "info" / "exclude"
    if exclude.is_file():
        (dest / ".git" / "info").mkdir(parents=True)
        shutil.copyfile(exclude, dest / ".git" / "info" / "exclude")


def module_names(root: Path, files: Sequence[Path]) -> Dict[str, List[Path]]:
    """Importable names of the files: dotted from the top of their package (``__init__.py``
    chain), and, for PEP 420 namespace packages, dotted from ``root``."""
    names: Dict[str, List[Path]] = {}
    for f in files:
        parts = [] if f.name == "__init__.py" else [f.stem]
        d = f.parent
        while (d / "__init__.py").is_file() and (d == root or root in d.parents):
            parts.insert(0, d.name)
            d = d.parent
        rel = f.relative_to(root).with_suffix("").parts
        rel = rel[:-1] if rel and rel[-1] == "__init__" else rel
        for name in {".".join(parts), ".".join(rel)}:
            if name:
                names.setdefault(name, []).append(f)
    return names


def importers(root: Path, trees: Dict[Path, ast.Module]) -> Dict[Path, int]:
    """For each file, how many other files import it (``import X``, ``from X import``, relative
    imports resolved; a name two files share resolves to the one beside the importer)."""
    names = module_names(root, list(trees))
    counts: Dict[Path, set] = {}

    def resolve(name: str, near: Path) -> Optional[Path]:
        hits = names.get(name)
        if not hits:
            return None
        if len(hits) == 1:
            return hits[0]
        beside = [h for h in hits if h.parent == near.parent]
        return beside[0] if len(beside) == 1 else None

    for f, tree in trees.items():
        package = module_package(root, f)
        for node in ast.walk(tree):
            targets: List[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    if package is None or node.level - 1 > len(package):
                        continue
                    base = package[:len(package) - (node.level - 1)]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                for a in node.names:
                    sub = f"{mod}.{a.name}" if mod else a.name
                    targets.append(sub if sub in names else mod)
            for t in targets:
                hit = resolve(t, f) if t else None
                if hit is not None and hit != f:
                    counts.setdefault(hit, set()).add(f)
    return {f: len(s) for f, s in counts.items()}


def module_package(root: Path, f: Path) -> Optional[List[str]]:
    """The package a file belongs to, as name parts (None: a script outside any package)."""
    parts: List[str] = []
    d = f.parent
    while (d / "__init__.py").is_file() and (d == root or root in d.parents):
        parts.insert(0, d.name)
        d = d.parent
    return parts or None


def parse_all(files: Sequence[Path]) -> Dict[Path, ast.Module]:
    import warnings
    trees: Dict[Path, ast.Module] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for p in files:
            try:
                trees[p] = ast.parse(p.read_bytes(), filename=str(p))
            except (SyntaxError, ValueError, UnicodeDecodeError, OSError, RecursionError, MemoryError):
                pass
    return trees


def survey(root: str, files: Sequence[str]) -> Tuple[List[str], Dict[str, int]]:
    """The files CPython parses, smallest first, and how many files import each of them."""
    trees = parse_all([Path(f) for f in files])
    counts = importers(Path(root), trees)
    parseable = sorted(trees, key=lambda p: (p.stat().st_size, str(p)))
    return [str(p) for p in parseable], {str(p): n for p, n in counts.items()}


def in_child(fn, *args):
    """``fn(*args)`` in a fresh interpreter.  Linux counts the memory a process had before it
    exec'd a program in that program's peak RSS, so every child's peak RSS is at least this
    process's own peak: the memory-hungry parts of the setup (all the syntax trees, masklint's
    cache file) run elsewhere."""
    import multiprocessing
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)


def self_peak_rss_mb() -> float:
    return _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def describe(path: Path, root: Path, extra: Optional[dict] = None) -> dict:
    data = path.read_bytes()
    out = {"path": str(path.relative_to(root)), "bytes": len(data), "lines": data.count(b"\n")}
    out.update(extra or {})
    return out


# --------------------------------------------------------------------------------------------
# running children

class Run:
    def __init__(self, wall: float, cpu: float, rc: int, stdout: str, stderr: str, timed_out: bool,
                 maxrss_mb: Optional[float], left_behind: bool = False):
        self.wall, self.cpu, self.rc = wall, cpu, rc
        self.stdout, self.stderr, self.timed_out = stdout, stderr, timed_out
        self.maxrss_mb, self.left_behind = maxrss_mb, left_behind


def _maxrss_mb(ru_maxrss: int) -> float:
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024  # bytes / KiB


def run(cmd: Sequence[str], cwd: Path, env: Dict[str, str], timeout: float) -> Run:
    """Run ``cmd`` in a session of its own; wall time, and from ``wait4`` its CPU time and the
    peak RSS of the largest of it and the descendants it waited for.  On timeout, and when it
    leaves processes of its session behind, those are killed (the latter is reported)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=str(cwd), env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=err, start_new_session=True)
        box: list = []
        reaper = threading.Thread(target=lambda: box.append(os.wait4(proc.pid, 0)), daemon=True)
        reaper.start()
        try:
            reaper.join(timeout)
        except BaseException:  # Ctrl-C, SIGTERM: the child's session does not get the signal
            _kill_group(proc.pid)
            raise
        timed_out = reaper.is_alive()
        if timed_out:
            _kill_group(proc.pid)
            reaper.join()
        wall = time.perf_counter() - t0
        _, status, usage = box[0]
        proc.returncode = rc = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        left_behind = not timed_out and _kill_group(proc.pid)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    return Run(wall, usage.ru_utime + usage.ru_stime, -9 if timed_out else rc,
               stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"), timed_out,
               _maxrss_mb(usage.ru_maxrss), left_behind)


def _kill_group(pgid: int) -> bool:
    """Kill what is left of the process group ``pgid`` (the session a child was started in);
    True when something was left."""
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return True


def tail(text: str, n: int = 1500) -> str:
    return text if len(text) <= n else "..." + text[-n:]


def masklint_help(python: str, env: Dict[str, str], cwd: Path) -> Optional[str]:
    r = run([python, "-m", "masklint", "--help"], cwd, env, 60)
    return r.stdout + r.stderr if r.rc == 0 else None


def masklint_files(python: str, env: Dict[str, str], cwd: Path, directory: Path) -> Optional[List[str]]:
    """The files masklint would lint in ``directory``, relative to it (None: --show-files failed)."""
    r = run([python, "-m", "masklint", "--show-files", str(directory)], cwd, env, 300)
    if r.rc != 0:
        return None
    out = []
    for line in r.stdout.splitlines():
        if line.strip():
            p = Path(line.strip())
            p = p if p.is_absolute() else cwd / p
            try:
                out.append(str(p.relative_to(directory)))
            except ValueError:
                out.append(str(p))
    return sorted(out)


def masklint_origin(python: str, env: Dict[str, str], cwd: Path) -> dict:
    """Which masklint the children import, and the git state of its checkout if it is one: the
    numbers belong to that revision plus its uncommitted changes."""
    r = run([python, "-c", MASKLINT_WHERE], cwd, env, 60)
    try:
        info = json.loads(r.stdout)
    except ValueError:
        return {"error": tail(r.stderr, 300)}
    pkg = Path(info["file"]).parent
    try:
        top = subprocess.run(["git", "-C", str(pkg), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, timeout=30)
        if top.returncode == 0:
            def git(*a: str) -> str:
                return subprocess.run(["git", "-C", top.stdout.strip(), *a], capture_output=True, text=True,
                                      timeout=30).stdout.strip()
            info["git_revision"] = git("rev-parse", "HEAD")
            changed = [ln[3:] for ln in git("status", "--porcelain", "--", str(pkg)).splitlines()]
            info["uncommitted_changes"] = changed
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def tool_version(exe: str, cwd: Path) -> Optional[str]:
    r = run([exe, "--version"], cwd, dict(os.environ), 60)
    return ((r.stdout or r.stderr).strip() or None) if r.rc == 0 else None


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


def finding_keys(diags: List[dict]) -> list:
    return sorted((str(d.get("path")), d.get("line") or 0, d.get("column") or 0, str(d.get("code")))
                  for d in diags)


def dependents_in_cache(cache_dirs: Sequence[str], edited: str) -> Optional[int]:
    """How many cached results list ``edited`` among their dependencies (read from masklint's
    newest results-*.json; None when there is none or its format is not the expected one)."""
    results = [p for d in map(Path, cache_dirs) if d.is_dir() for p in d.glob("results-*.json")]
    if not results:
        return None
    newest = max(results, key=lambda p: p.stat().st_mtime)
    try:
        files = json.loads(newest.read_text(encoding="utf-8"))["files"]
        return sum(1 for entry in files.values() if edited in entry.get("deps", {}))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


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
    ap.add_argument("--short-repeat", type=int, default=None,
                    help="runs of the one-file and import-libcst measurements (default: max(10, --repeat))")
    ap.add_argument("--python", default=sys.executable,
                    help="interpreter that runs `-m masklint` and the baselines (default: this one)")
    ap.add_argument("--jobs", type=int, default=None, help="pass --jobs N to masklint (default: its own)")
    ap.add_argument("--edit-file", type=Path, default=None,
                    help="the file (relative to DIR) to append a line to for `edit` "
                         "(default: the file most others import, else the largest)")
    ap.add_argument("--one-file", type=Path, default=None,
                    help="the file (relative to DIR) for `one file` (default: the median-sized one)")
    ap.add_argument("--ruff", metavar="PATH", default=None, help="Ruff executable; omitted: Ruff is skipped")
    ap.add_argument("--torchfix", metavar="PATH", default=None,
                    help="TorchFix executable (its own venv is fine); omitted: TorchFix is skipped")
    ap.add_argument("--torchfix-select", default=None,
                    help="pass --select to TorchFix (e.g. ALL); default: TorchFix's default rules")
    ap.add_argument("--torchfix-jobs", type=int, default=None, help="pass --jobs to TorchFix")
    ap.add_argument("--skip-warm", action="store_true", help="do not measure the cached re-run")
    ap.add_argument("--skip-edit", action="store_true", help="do not measure the re-run after an edit")
    ap.add_argument("--skip-one-file", action="store_true", help="do not measure one file / import libcst")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per child run (default 1800)")
    ap.add_argument("--json", metavar="OUT", type=Path, default=None, help="also write results as JSON")
    ap.add_argument("--keep-temp", action="store_true", help="keep the temp dir (copy, caches) for inspection")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))  # clean up as on Ctrl-C

    root = args.directory.resolve()
    if not root.is_dir():
        ap.error(f"not a directory: {root}")
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")
    short_repeat = args.short_repeat if args.short_repeat is not None else max(10, args.repeat)
    if short_repeat < 1:
        ap.error("--short-repeat must be >= 1")
    tools = {}
    for name in ("ruff", "torchfix"):
        given = getattr(args, name)
        if given:
            exe = shutil.which(given) or given
            if not os.access(exe, os.X_OK):
                ap.error(f"--{name}: not an executable: {given}")
            tools[name] = exe
    for opt in ("edit_file", "one_file"):
        given = getattr(args, opt)
        if given is not None and not (root / given).is_file():
            ap.error(f"--{opt.replace('_', '-')}: not a file in {root}: {given}")

    tmp = Path(tempfile.mkdtemp(prefix="masklint-speed-")).resolve()
    failures: List[str] = []
    notes: List[str] = []
    results: Dict[str, dict] = {}
    runs: Dict[str, List[Run]] = {}
    extras: Dict[str, dict] = {}
    report: dict = {}

    def base_env(cache_dir: Path) -> Dict[str, str]:
        env = dict(os.environ)
        for var in CACHE_ENV_VARS:
            env[var] = str(cache_dir)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env

    def add(name: str, r: Run) -> Run:
        runs.setdefault(name, []).append(r)
        if r.left_behind:
            notes.append(f"{name}: the child left processes of its session running after it exited (killed)")
        return r

    def check_masklint(name: str, r: Run) -> Optional[List[dict]]:
        diags = parse_masklint_json(r.stdout) if r.rc == 0 and not r.timed_out else None
        if diags is None:
            why = "timed out" if r.timed_out else f"exit {r.rc}" if r.rc else "output is not JSON"
            failures.append(f"{name}: {why}\n{tail(r.stderr or r.stdout)}")
        return diags

    edited: Optional[Path] = None
    edit_original: Optional[bytes] = None
    try:
        work = tmp / "cwd"
        work.mkdir()
        tree = tmp / "tree" / root.name
        copy_tree(root, tree)
        files = python_files(tree)
        stats = file_stats(files)
        list_file = tmp / "files.txt"
        list_file.write_text("\n".join(str(p) for p in files), encoding="utf-8")
        env0 = base_env(tmp / "cache-unused")

        help_text = masklint_help(args.python, env0, work)
        if help_text is None:
            print(f"error: `{args.python} -m masklint --help` failed; is masklint installed?", file=sys.stderr)
            return 1
        cache_dir_flag = "--cache-dir" if "--cache-dir" in help_text else None
        origin = masklint_origin(args.python, env0, work)
        if origin.get("uncommitted_changes"):
            notes.append(f"masklint ran from a checkout with {len(origin['uncommitted_changes'])} uncommitted "
                         f"change(s) under {Path(origin['file']).parent}")

        ml_in_root = masklint_files(args.python, env0, work, root)
        ml_in_copy = masklint_files(args.python, env0, work, tree)
        if ml_in_root is None or ml_in_copy is None:
            notes.append("masklint --show-files failed: could not check that the copy lints the same files")
        elif ml_in_root != ml_in_copy:
            notes.append(f"masklint lints {len(ml_in_copy)} files in the copy but {len(ml_in_root)} in DIR "
                         f"(e.g. {sorted(set(ml_in_root) ^ set(ml_in_copy))[:3]})")
        stats["masklint_files"] = len(ml_in_copy) if ml_in_copy is not None else None

        # the file to edit, the file to lint alone (chosen in a child process: see in_child)
        parseable, counts = in_child(survey, str(tree), [str(p) for p in files])
        parseable = [Path(p) for p in parseable]
        counts = {Path(p): n for p, n in counts.items()}
        edit_info: Optional[dict] = None
        if not args.skip_edit:
            if args.edit_file is not None:
                edited = tree / args.edit_file
                edit_info = describe(edited, tree, {"chosen": "--edit-file", "importers": counts.get(edited, 0)})
            elif counts:
                edited = max(counts, key=lambda p: (counts[p], p.stat().st_size, str(p)))
                edit_info = describe(edited, tree, {"chosen": "imported by the most files",
                                                    "importers": counts[edited]})
            elif parseable:
                edited = parseable[-1]
                edit_info = describe(edited, tree, {"chosen": "largest (no imports between files found)",
                                                    "importers": 0})
            if edited is not None:
                edit_original = edited.read_bytes()
        one: Optional[Path] = None
        one_chosen = ""
        if not args.skip_one_file:
            if args.one_file is not None:
                one, one_chosen = tree / args.one_file, "--one-file"
            elif parseable:
                one, one_chosen = parseable[(len(parseable) - 1) // 2], "median size"

        ml_cmd = [args.python, "-m", "masklint", "--exit-zero", "--format", "json"]
        cold_cmd = ml_cmd + (["--jobs", str(args.jobs)] if args.jobs is not None else [])
        j1_cmd = ml_cmd + ["--jobs", "1"]
        cold_diags: Optional[List[dict]] = None
        warm_diags: Optional[List[dict]] = None
        edit_diags: Optional[List[dict]] = None
        ast_info: dict = {}
        lcst_info: dict = {}
        skip_list = tmp / "ast-rejects.txt"
        cache_where: set = set()
        dependents: List[Optional[int]] = []
        tool_info: Dict[str, dict] = {}

        load_start = os.getloadavg()
        floor_start = self_peak_rss_mb()
        if load_start[0] > (os.cpu_count() or 1) / 2:
            notes.append(f"the machine was busy before the first measurement (load average {load_start[0]:.2f} "
                         f"on {os.cpu_count()} cores): wall times and their ratios are inflated unevenly; "
                         f"the CPU times and cpu ratios suffer less")

        # one untimed run first: the interpreter writes masklint's bytecode caches if they are missing
        if parseable:
            run(j1_cmd + ["--no-cache", str(parseable[0])], work, env0, args.timeout)

        for i in range(args.repeat):
            # baselines: ast (its rejects are what libcst skips), then libcst
            r = add("ast", run([args.python, "-c", AST_BASELINE, str(list_file)], work, env0, args.timeout))
            try:
                out = json.loads(r.stdout)
                ast_info.setdefault("parse_only_s", []).append(out["secs"])
                ast_info.update(parsed=out["ok"], syntax_errors=len(out["bad"]),
                                rejected=[str(Path(p).relative_to(tree)) for p in out["bad"]])
                skip_list.write_text("\n".join(out["bad"]), encoding="utf-8")
            except (ValueError, KeyError):
                failures.append(f"ast baseline: exit {r.rc}\n{tail(r.stderr or r.stdout)}")
            if skip_list.exists():
                r = add("libcst", run([args.python, "-c", LIBCST_BASELINE, str(list_file), str(skip_list)],
                                      work, env0, args.timeout))
                try:
                    out = json.loads(r.stdout)
                    lcst_info.setdefault("parse_only_s", []).append(out["secs"])
                    lcst_info.update(parsed=out["ok"], failed=len(out["bad"]), skipped_ast_rejects=out["skipped"],
                                     failures=[[str(Path(p).relative_to(tree)), why] for p, why in out["bad"]],
                                     import_s=out["import_s"], libcst_version=out["version"])
                except (ValueError, KeyError):
                    failures.append(f"libcst baseline: exit {r.rc} (a crash of LibCST's native parser?)\n"
                                    f"{tail(r.stderr or r.stdout)}")

            # masklint cold, default jobs (or --jobs) and one job
            r = add("masklint_cold", run(cold_cmd + ["--no-cache", str(tree)], work, env0, args.timeout))
            d = check_masklint("masklint cold", r)
            cold_diags = d if d is not None else cold_diags
            if args.jobs != 1:
                r = add("masklint_cold_jobs1", run(j1_cmd + ["--no-cache", str(tree)], work, env0, args.timeout))
                d = check_masklint("masklint cold --jobs 1", r)
                if d is not None and cold_diags is not None and finding_keys(d) != finding_keys(cold_diags):
                    notes.append("masklint --jobs 1 reports other findings than the default jobs")

            # prime, warm, edit: a fresh cache and a fresh working directory (masklint's project root
            # when the tree has no [tool.masklint]; the cache goes there) for each repetition
            if not (args.skip_warm and edited is None):
                cache, rep_cwd = tmp / f"cache{i}", tmp / f"cwd{i}"
                cache.mkdir()
                rep_cwd.mkdir()
                shutil.rmtree(tree / ".masklint_cache", ignore_errors=True)  # a tree with its own config
                env = base_env(cache)
                cmd = cold_cmd + (["--cache-dir", str(cache)] if cache_dir_flag else []) + [str(tree)]
                r = add("masklint_prime", run(cmd, rep_cwd, env, args.timeout))
                check_masklint("masklint prime", r)
                if not args.skip_warm:
                    r = add("masklint_warm", run(cmd, rep_cwd, env, args.timeout))
                    d = check_masklint("masklint warm", r)
                    warm_diags = d if d is not None else warm_diags
                cache_dirs = [cache, rep_cwd / ".masklint_cache", tree / ".masklint_cache"]
                if edited is not None and edit_original is not None:
                    dependents.append(in_child(dependents_in_cache, [str(c) for c in cache_dirs], str(edited)))
                    try:
                        edited.write_bytes(edit_original + EDIT_LINE)
                        r = add("masklint_edit", run(cmd, rep_cwd, env, args.timeout))
                    finally:
                        edited.write_bytes(edit_original)
                    d = check_masklint("masklint edit", r)
                    edit_diags = d if d is not None else edit_diags
                for cand in (cache, rep_cwd, tree / ".masklint_cache"):  # whatever appears is the cache
                    if cand.is_dir() and any(hit.is_file() for hit in cand.rglob("*")):
                        cache_where.add(str(cand))

            # other linters, on the same copy
            if "ruff" in tools:  # --statistics: a short report (a big one would grow this process)
                rcmd = [tools["ruff"], "check", "--no-cache", "--exit-zero", "--statistics",
                        "--output-format", "json"]
                r = add("ruff", run(rcmd + [str(tree)], work, dict(os.environ), args.timeout))
                info = tool_info.setdefault("ruff", {"command": " ".join(rcmd + ["DIR"]),
                                                     "parallelism": f"all cores ({os.cpu_count()})",
                                                     "version": tool_version(tools["ruff"], work)})
                try:
                    counts_by_code = {str(c["code"]): int(c["count"]) for c in json.loads(r.stdout)}
                    info.update(findings=sum(counts_by_code.values()), codes=len(counts_by_code))
                except (ValueError, TypeError, KeyError):
                    info.setdefault("errors", []).append(f"exit {r.rc}: {tail(r.stderr or r.stdout, 500)}")
            if "torchfix" in tools:
                tf_cmd = [tools["torchfix"]]
                if args.torchfix_select:
                    tf_cmd += ["--select", args.torchfix_select]
                if args.torchfix_jobs:
                    tf_cmd += ["--jobs", str(args.torchfix_jobs)]
                r = add("torchfix", run(tf_cmd + [str(tree)], work, dict(os.environ), args.timeout))
                info = tool_info.setdefault("torchfix", {
                    "command": " ".join(tf_cmd + ["DIR"]),
                    "parallelism": (f"--jobs {args.torchfix_jobs}" if args.torchfix_jobs
                                    else f"default: all cores ({os.cpu_count()})"),
                    "note": "TorchFix parses only files containing the string 'torch'",
                    "version": tool_version(tools["torchfix"], work)})
                if r.timed_out or r.rc not in (0, 1):
                    info.setdefault("errors", []).append(f"exit {r.rc}: {tail(r.stderr, 500)}")
                m = TORCHFIX_CHECKED.search(r.stderr)
                if m:
                    info["files_checked"] = int(m.group(1))
                info["findings"] = len(TORCHFIX_FINDING.findall(r.stdout))
                info["exit_code"] = r.rc

        # one file against importing libcst: short, so more runs, after one untimed run of each
        if one is not None:
            one_cmd = cold_cmd + ["--no-cache", str(one)]
            imp_cmd = [args.python, "-c", "import libcst"]
            run(one_cmd, work, env0, args.timeout)
            run(imp_cmd, work, env0, args.timeout)
            for _ in range(short_repeat):
                r = add("masklint_one_file", run(one_cmd, work, env0, args.timeout))
                check_masklint("masklint one file", r)
                r = add("import_libcst", run(imp_cmd, work, env0, args.timeout))
                if r.rc != 0:
                    failures.append(f"import libcst: exit {r.rc}\n{tail(r.stderr)}")

        if edited is not None and edit_original is not None and edited.read_bytes() != edit_original:
            failures.append(f"the edited file {edited} was not restored")  # cannot happen; checked anyway

        # what each measurement reports
        extras["ast"] = dict(ast_info, median_parse_only_s=median(ast_info.get("parse_only_s", [])))
        extras["libcst"] = dict(lcst_info, median_parse_only_s=median(lcst_info.get("parse_only_s", [])))
        jobs_label = f"--jobs {args.jobs}" if args.jobs is not None else f"default ({os.cpu_count()} CPUs)"
        extras["masklint_cold"] = {"command": " ".join(cold_cmd + ["--no-cache", "DIR"]), "jobs": jobs_label}
        if cold_diags is not None:
            extras["masklint_cold"].update(findings=len(cold_diags), by_code=summarise_findings(cold_diags))
        extras["masklint_cold_jobs1"] = {"command": " ".join(j1_cmd + ["--no-cache", "DIR"]), "jobs": "--jobs 1"}
        extras["masklint_prime"] = {"command": " ".join(cold_cmd + ["DIR"]),
                                    "cache_written_under": sorted(cache_where)}
        if warm_diags is not None:
            extras["masklint_warm"] = {"findings": len(warm_diags), "by_code": summarise_findings(warm_diags)}
            if cold_diags is not None:
                extras["masklint_warm"]["same_findings_as_cold"] = (finding_keys(cold_diags)
                                                                    == finding_keys(warm_diags))
        if edit_info is not None:
            edit_info.update(appended=EDIT_LINE.decode(), cached_results_depending_on_it=dependents)
            extras["masklint_edit"] = {"file": edit_info}
            if edit_diags is not None and cold_diags is not None:
                extras["masklint_edit"]["same_findings_as_cold"] = (finding_keys(cold_diags)
                                                                    == finding_keys(edit_diags))
        if one is not None:
            extras["masklint_one_file"] = {"file": describe(one, tree, {"chosen": one_chosen}),
                                           "command": " ".join(cold_cmd + ["--no-cache", "FILE"])}
            extras["import_libcst"] = {"command": f"{args.python} -c 'import libcst'"}
        extras.update(tool_info)

        for name, rs in runs.items():
            walls, cpus = [r.wall for r in rs], [r.cpu for r in rs]
            rss = [r.maxrss_mb for r in rs if r.maxrss_mb is not None]
            entry = {"wall_s": walls, "cpu_s": cpus, "max_rss_mb": rss, "median_wall_s": median(walls),
                     "median_cpu_s": median(cpus), "peak_max_rss_mb": max(rss) if rss else None}
            entry.update(extras.get(name, {}))
            results[name] = entry

        report = {
            "directory": str(root),
            "linted_copy": str(tree),
            "files": stats,
            "repeat": args.repeat,
            "short_repeat": short_repeat,
            "machine": {"cpu_count": os.cpu_count(), "python": platform.python_version(),
                        "platform": platform.platform(), "interpreter": args.python,
                        "loadavg_at_start": load_start, "loadavg_at_end": os.getloadavg()},
            # a floor under every child's peak RSS (see in_child)
            "benchmark_peak_rss_mb": {"at_start": floor_start, "at_end": self_peak_rss_mb()},
            "masklint": origin,
        }
    finally:
        if edited is not None and edit_original is not None:
            edited.write_bytes(edit_original)
        if args.keep_temp:
            print(f"temp dir kept: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    med = {k: v["median_wall_s"] for k, v in results.items()}
    report["results"] = results
    cpu = {k: v["median_cpu_s"] for k, v in results.items()}
    report["goals"] = {}
    for name, a, b, goal in GOALS:
        value = ratio(med.get(a), med.get(b))
        report["goals"][name] = {"value": value, "goal_at_most": goal,
                                 "met": value <= goal if value is not None else None,
                                 # the same ratio of CPU times: less sensitive to a busy machine
                                 "cpu_value": ratio(cpu.get(a), cpu.get(b))}
    report["ratios"] = dict({name: g["value"] for name, g in report["goals"].items()},
                            **{name: ratio(med.get(a), med.get(b)) for name, a, b in OTHER_RATIOS})
    report["notes"] = list(dict.fromkeys(notes))  # once each
    report["failures"] = failures

    print_table(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 1 if failures else 0


def fmt(x: Optional[float], spec: str = "8.2f") -> str:
    return format(x, spec) if x is not None else "-".rjust(int(spec.split(".")[0]) if spec[0].isdigit() else 1)


def print_table(report: dict) -> None:
    f = report["files"]
    print(f"directory: {report['directory']} (linted as a copy)")
    print(f"files: {f['py_files']} .py ({f['py_lines']} lines, {f['py_bytes'] / 1e6:.1f} MB); "
          f"{f['torch_files']} mention 'torch'; masklint lints {f.get('masklint_files', '?')} files")
    ml = report["masklint"]
    rev = ml.get("git_revision", "")[:10]
    dirty = f", {len(ml['uncommitted_changes'])} uncommitted change(s)" if ml.get("uncommitted_changes") else ""
    print(f"masklint: {ml.get('file', '?')}" + (f" (git {rev}{dirty})" if rev else ""))
    print(f"machine: {report['machine']['cpu_count']} cores, Python {report['machine']['python']}; "
          f"medians of {report['repeat']} runs ({report['short_repeat']} for one file / import libcst); "
          f"load average {report['machine']['loadavg_at_start'][0]:.2f} at start, "
          f"{report['machine']['loadavg_at_end'][0]:.2f} at end")
    print(f"RSS: peak of the largest process of a run (includes this script's own "
          f"{report['benchmark_peak_rss_mb']['at_end']:.0f} MB, see in_child)\n")
    print(f"{'measurement':<22}{'wall s':>9}{'cpu s':>9}{'RSS MB':>9}   detail")
    res = report["results"]
    labels = {"ast": "ast baseline", "libcst": "libcst baseline",
              "masklint_cold": "masklint cold", "masklint_cold_jobs1": "masklint cold -j1",
              "masklint_prime": "masklint prime", "masklint_warm": "masklint warm",
              "masklint_edit": "masklint edit", "masklint_one_file": "masklint one file",
              "import_libcst": "import libcst", "ruff": "ruff", "torchfix": "torchfix"}
    for key, label in labels.items():
        r = res.get(key)
        if r is None:
            continue
        detail = []
        if key == "masklint_cold":
            detail.append(r["jobs"])
        if "findings" in r:
            detail.append(f"{r['findings']} findings")
        if r.get("by_code") and key == "masklint_cold":
            detail.append(" ".join(f"{c}:{n}" for c, n in r["by_code"].items()))
        if key in ("ast", "libcst") and "parsed" in r:
            detail.append(f"{r['parsed']} parsed")
            detail.append(f"{r['syntax_errors']} syntax errors" if key == "ast" else
                          f"{r['failed']} rejected, {r['skipped_ast_rejects']} skipped (ast rejects)")
            detail.append(f"parse only {fmt(r.get('median_parse_only_s'), '.2f')} s")
        if key == "masklint_prime":
            detail.append("cache in " + (", ".join(r.get("cache_written_under") or []) or "? (nothing written)"))
        if key == "masklint_edit":
            e = r["file"]
            deps = [n for n in e["cached_results_depending_on_it"] if n is not None]
            detail.append(f"{e['path']} ({e['chosen']}: {e['importers']} importers; "
                          f"{deps[0] if deps else '?'} cached results depend on it)")
        if key == "masklint_one_file":
            e = r["file"]
            detail.append(f"{e['path']} ({e['lines']} lines, {e['chosen']})")
        if "same_findings_as_cold" in r:
            detail.append("same findings as cold" if r["same_findings_as_cold"] else "FINDINGS DIFFER FROM COLD")
        if key in ("torchfix", "ruff"):
            if "files_checked" in r:
                detail.append(f"{r['files_checked']} files checked")
            detail.append(r["parallelism"])
            if r.get("errors"):
                detail.append(f"{len(r['errors'])} ERRORS")
        print(f"{label:<22}{fmt(r['median_wall_s'], '9.2f')}{fmt(r['median_cpu_s'], '9.2f')}"
              f"{fmt(r['peak_max_rss_mb'], '9.0f')}   {'; '.join(detail)}")
    print(f"\n{'goal (wall-time ratio)':<36}{'ratio':>8}{'at most':>9}{'':9}{'cpu ratio':>10}")
    for name, g in report["goals"].items():
        verdict = "" if g["met"] is None else "met" if g["met"] else "MISSED"
        print(f"{name:<36}{fmt(g['value'], '8.3f')}{g['goal_at_most']:9.2f}   {verdict:<6}"
              f"{fmt(g.get('cpu_value'), '10.3f')}")
    print()
    for name, value in report["ratios"].items():
        if value is not None and name not in report["goals"]:
            print(f"{name:<36}{value:8.3f}")
    for note in report["notes"]:
        print(f"\nnote: {note}")
    for fail in report["failures"]:
        print(f"\nFAILED {fail}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
