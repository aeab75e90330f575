"""Lint orchestration: paths -> files -> ``engine.check_source`` -> suppression -> selection.

Every file yields either its diagnostics or exactly one ML900 line (cannot be read, too
large, binary, undecodable, does not parse, or an internal error in the analysis), and the run
goes on.  Results are sorted by (path, line, column, code) whatever the number of jobs.
Internal errors are counted separately: the CLI exits 2 when there was one.
"""
from __future__ import annotations

import io
import os
import stat
import sys
import tokenize
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from masklint import engine
from masklint.cache import CACHE_DIR_NAME, Cache, FileHasher, content_hash
from masklint.config import PARSE_ERROR_CODE, Settings
from masklint.diagnostics import Diagnostic
from masklint.edits import FileFix, fix_file
from masklint.files import discover, display_path
from masklint.suppress import parse_suppressions

MAX_FILE_SIZE = 5 * 1024 * 1024
PARALLEL_MIN_FILES = 24  # below this, starting worker processes costs more than it saves
INTERNAL_ERROR_HINT = "please report this bug to masklint with the file (MASKLINT_DEBUG=1 shows the traceback)"


class FileProblem(Exception):
    """A file that cannot be linted; the message becomes its ML900 line."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def parse_error(path: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
    return Diagnostic(PARSE_ERROR_CODE, "parse-error", message, path, line, column, line, column, "error")


# --------------------------------------------------------------------------- reading
def read_bytes(path: str) -> bytes:
    try:
        st = os.stat(path)  # before open(): opening a FIFO would block
        if not stat.S_ISREG(st.st_mode):
            raise FileProblem("skipped: not a regular file")
        if st.st_size > MAX_FILE_SIZE:
            raise FileProblem(f"skipped: file too large ({st.st_size / 2**20:.1f} MB > {MAX_FILE_SIZE // 2**20} MB)")
        with open(path, "rb") as f:
            return f.read(MAX_FILE_SIZE + 1)
    except OSError as exc:
        raise FileProblem(exc.strerror or str(exc)) from None


def decode_source(data: bytes) -> str:
    """Decode like Python does (BOM, PEP 263 cookie, else UTF-8)."""
    if len(data) > MAX_FILE_SIZE:
        raise FileProblem(f"skipped: file too large (> {MAX_FILE_SIZE // 2**20} MB)")
    if b"\0" in data:
        raise FileProblem("skipped: binary file (contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise FileProblem(f"cannot decode: {exc.msg if hasattr(exc, 'msg') else exc}") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileProblem(f"cannot decode as {encoding}: invalid byte 0x{data[exc.start]:02x}", line) from None
    except LookupError:  # pragma: no cover - detect_encoding already rejects unknown codecs
        raise FileProblem(f"cannot decode: unknown encoding {encoding!r}") from None


# --------------------------------------------------------------------------- one file
@dataclass
class FileResult:
    diagnostics: List[Diagnostic]
    deps: List[str] = field(default_factory=list)
    digest: Optional[str] = None  # content hash of what was analysed; None: do not cache
    internal_error: bool = False


def select(diagnostics: List[Diagnostic], path: str, settings: Settings) -> List[Diagnostic]:
    off = settings.ignored_for(path)
    return [d for d in diagnostics if d.code in settings.enabled and d.code not in off]


def lint_source(data: bytes, path: str, settings: Settings, project: Optional[engine.Project]) -> FileResult:
    """Lint one file's bytes; ``path`` is the display path (also given to the engine)."""
    digest = content_hash(data)
    try:
        source = decode_source(data)
    except FileProblem as exc:
        return FileResult(select([parse_error(path, exc.message, exc.line)], path, settings), digest=digest)
    deps: List[str] = []
    internal = False
    try:
        codes = settings.enabled - settings.ignored_for(path)
        result = engine.check_source(source, path, project, codes)
        diagnostics, deps = list(result.diagnostics), list(result.deps)
        for d in diagnostics:
            d.path = path
    except engine.ParseFailure as exc:
        diagnostics = [parse_error(path, exc.message, exc.line or 1, exc.column or 1)]
    except Exception as exc:  # noqa: BLE001 - one file's crash must not stop the run
        internal = True
        if os.environ.get("MASKLINT_DEBUG"):
            traceback.print_exc(file=sys.stderr)
        diagnostics = [parse_error(path, f"internal error: {type(exc).__name__}: {exc}; {INTERNAL_ERROR_HINT}")]
    diagnostics = parse_suppressions(source).filter(diagnostics) if diagnostics else diagnostics
    return FileResult(select(diagnostics, path, settings), deps, None if internal else digest, internal)


# --------------------------------------------------------------------------- workers
_WORKER: Dict[str, object] = {}


def make_project(settings: Settings, roots: Sequence[Path]) -> engine.Project:
    project = engine.Project(roots)
    project.settings = settings  # the engine reads project.settings.mask_helpers
    return project


def _init_worker(settings: Settings, roots: Sequence[Path]) -> None:
    _WORKER["settings"] = settings
    _WORKER["project"] = make_project(settings, roots)


def _work(task: Tuple[str, bytes]) -> FileResult:
    path, data = task
    return lint_source(data, path, _WORKER["settings"], _WORKER["project"])  # type: ignore[arg-type]


def _run_tasks(tasks: List[Tuple[str, bytes]], settings: Settings, roots: List[Path], jobs: int) -> List[FileResult]:
    if jobs > 1 and len(tasks) >= PARALLEL_MIN_FILES:
        workers = min(jobs, len(tasks))
        # biggest files first, in small chunks, so that no worker is left with a long tail
        order = sorted(range(len(tasks)), key=lambda i: -len(tasks[i][1]))
        chunksize = max(1, min(8, len(tasks) // (workers * 16)))
        try:
            with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(settings, roots)) as pool:
                results: List[Optional[FileResult]] = [None] * len(tasks)
                for i, res in zip(order, pool.map(_work, [tasks[i] for i in order], chunksize=chunksize)):
                    results[i] = res
                return results  # type: ignore[return-value]
        except Exception:  # noqa: BLE001 - no processes here (sandbox), a worker died, ...
            pass  # ... do it all in this process instead
    project = make_project(settings, roots)
    return [lint_source(data, path, settings, project) for path, data in tasks]


# --------------------------------------------------------------------------- a run
@dataclass
class RunResult:
    diagnostics: List[Diagnostic]
    files_checked: int = 0
    internal_errors: int = 0
    fixes: List[FileFix] = field(default_factory=list)

    @property
    def fixed_count(self) -> int:
        return sum(len(f.fixed) for f in self.fixes)


def project_roots(paths: Sequence[str], settings: Settings) -> List[Path]:
    """Where the engine may look for the modules a file imports: the configured project root,
    and the directories named on the command line (or holding the files named there).  The
    current directory is not one unless configured: it may be a home directory or /tmp."""
    roots = [settings.root] if settings.config_path is not None else []
    for p in paths:
        d = Path(os.path.abspath(p))
        d = d if d.is_dir() else d.parent
        if d not in roots:
            roots.append(d)
    return roots


def lint_paths(
    paths: Sequence[str],
    settings: Settings,
    *,
    jobs: Optional[int] = None,
    use_cache: bool = True,
    force_exclude: bool = False,
    fix: Optional[str] = None,  # None, "fix" (write) or "diff"
    unsafe_fixes: bool = False,  # also apply fixes that change results (Ruff's --unsafe-fixes)
) -> RunResult:
    found = discover(paths, settings, force_exclude=force_exclude)
    diagnostics: List[Diagnostic] = []
    for path, message in found.problems:
        shown = display_path(path)
        diagnostics += select([parse_error(shown, message)], shown, settings)

    cache = Cache(settings.root / CACHE_DIR_NAME, settings.fingerprint()) if use_cache else None
    hasher = FileHasher()
    digests: Dict[str, str] = {}
    tasks: List[Tuple[str, bytes]] = []
    for path in found.files:
        shown = display_path(path)
        try:
            data = read_bytes(path)
        except FileProblem as exc:
            diagnostics += select([parse_error(shown, exc.message)], shown, settings)
            continue
        digest = digests[shown] = content_hash(data)
        cached = cache.get(os.path.abspath(path), digest, hasher) if cache else None
        if cached is not None:
            for d in cached:
                d.path = shown
            diagnostics += cached
        else:
            tasks.append((shown, data))

    internal = 0
    roots = project_roots(paths, settings)
    results = _run_tasks(tasks, settings, roots, jobs or os.cpu_count() or 1)
    for (shown, _), res in zip(tasks, results):
        diagnostics += res.diagnostics
        internal += res.internal_error
        if cache is not None and res.digest is not None:
            deps = {}
            for dep in res.deps:
                dep_abs = os.path.abspath(dep)
                if dep_abs != os.path.abspath(shown):
                    deps[dep_abs] = hasher(dep_abs)
            cache.put(os.path.abspath(shown), res.digest, deps, res.diagnostics)
    if cache is not None:
        cache.save()

    diagnostics.sort(key=Diagnostic.sort_key)
    run = RunResult(diagnostics, files_checked=len(found.files), internal_errors=internal)
    if fix:
        _apply_fixes(run, digests, write=fix == "fix", unsafe=unsafe_fixes)
    return run


def applicable(d: Diagnostic, unsafe: bool) -> bool:
    return bool(d.fix) and (d.fix_applicability != "unsafe" or unsafe)


def lint_stdin(data: bytes, filename: Optional[str], settings: Settings) -> RunResult:
    """Lint source read from standard input; ``filename`` (``--stdin-filename``) names it for
    messages, per-file-ignores and the search for the modules it imports."""
    path = filename or "-"
    roots = [settings.root] if settings.config_path is not None else []
    if filename:
        d = Path(os.path.abspath(filename)).parent
        if d not in roots:
            roots.append(d)
    res = lint_source(data, path, settings, make_project(settings, roots))
    return RunResult(sorted(res.diagnostics, key=Diagnostic.sort_key), files_checked=1,
                     internal_errors=int(res.internal_error))


def _apply_fixes(run: RunResult, digests: Dict[str, str], write: bool, unsafe: bool = False) -> None:
    by_path: Dict[str, List[Diagnostic]] = {}
    for d in run.diagnostics:
        if applicable(d, unsafe):
            by_path.setdefault(d.path, []).append(d)
    fixed_ids = set()
    for path in sorted(by_path):
        result = fix_file(path, by_path[path], write=write, expected_hash=digests.get(path))
        run.fixes.append(result)
        fixed_ids.update(id(d) for d in result.fixed)
    if write:
        run.diagnostics = [d for d in run.diagnostics if id(d) not in fixed_ids]
