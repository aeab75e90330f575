"""Lint orchestration: paths -> files -> ``engine.check_source`` -> suppression -> selection.

Every file yields either its diagnostics or exactly one ML900 line (cannot be read, too
large, binary, undecodable, does not parse, nested too deeply, over its time budget, or an
internal error in the analysis), and the run goes on.  Results are sorted by (path, line,
column, code) whatever the number of jobs.  Internal errors are counted separately: the CLI
exits 2 when there was one.

With several jobs, files go to worker processes one at a time, so that a worker that dies (a
signal, a stack overflow in native code, the out-of-memory killer) or stalls past its file's
time budget costs only that file: it is reported as ML900 ("not analysed: ...") and a fresh
worker takes the remaining files.  In one process (``--jobs 1``, a few files, standard input)
the time budget is cooperative and a crash in native code ends the run; docs/robustness.md.
"""
from __future__ import annotations

import collections
import contextlib
import gc
import io
import multiprocessing
import os
import signal
import stat
import sys
import time
import tokenize
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from masklint import engine
from masklint.cache import CACHE_DIR_NAME, Cache, DependencyCheck, FileHasher, content_hash
from masklint.config import PARSE_ERROR_CODE, Settings
from masklint.diagnostics import Diagnostic
from masklint.edits import FileFix, fix_file
from masklint.files import discover, display_path
from masklint.notebook import Notebook, NotebookError, is_notebook
from masklint.suppress import UNUSED_CODE, Suppressions, parse_suppressions, unused_suppressions

MAX_FILE_SIZE = 5 * 1024 * 1024
PARALLEL_MIN_FILES = 24  # below this, starting worker processes costs more than it saves
INTERNAL_ERROR_HINT = "please report this bug to masklint with the file (MASKLINT_DEBUG=1 shows the traceback)"
CRASH_HINT = "please report this bug to masklint with the file"
KILL_GRACE = 2.0  # seconds past its file's budget before a worker is killed (it stops itself at the budget)
# Test-only: "SIGSEGV:name.py" makes a worker process kill itself with that signal, "hang:name.py"
# makes it sleep, when it gets a file of that name.  Read only in worker processes.
TEST_FAULT_ENV = "MASKLINT_TEST_WORKER_FAULT"
# Collector thresholds while linting.  The project index keeps parsed modules (large trees of
# small objects) alive, so CPython's default young-generation threshold (700) runs collections
# that walk them again and again: a third of a cold run on pytorch-image-models.  A larger first
# threshold keeps collecting (LibCST's trees have cycles) at a fraction of the cost, for about 6%
# more memory; benchmarks/lint_speed.py measures both.
LINT_GC_THRESHOLDS = (100_000, 20, 10)


@contextlib.contextmanager
def lint_gc():
    """Linting's collector thresholds for the duration of the block, then the caller's."""
    before = gc.get_threshold()
    gc.set_threshold(*LINT_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


class FileProblem(Exception):
    """A file that cannot be linted; the message becomes its ML900 line."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def parse_error(path: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
    return Diagnostic(PARSE_ERROR_CODE, "parse-error", message, path, line, column, line, column, "error")


def timeout_message(seconds: float) -> str:
    return f"not analysed: took longer than {seconds:g} s (the per-file time budget: --file-timeout)"


def crash_message(exitcode: Optional[int]) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "unknown signal"
        why = f"signal {-exitcode}, {name}" + (": perhaps out of memory" if name == "SIGKILL" else "")
    elif exitcode is None:
        why = "it closed its pipe"
    else:
        why = f"exit status {exitcode}"
    return f"not analysed: the analysis process crashed ({why}); {CRASH_HINT}"


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
    deps: Dict[str, Optional[dict]] = field(default_factory=dict)  # engine.CheckResult.deps
    digest: Optional[str] = None  # content hash of what was analysed; None: do not cache
    internal_error: bool = False


def select(diagnostics: List[Diagnostic], path: str, settings: Settings) -> List[Diagnostic]:
    off = settings.ignored_for(path)
    return [d for d in diagnostics if d.code in settings.enabled and d.code not in off]


def lint_source(data: bytes, path: str, settings: Settings, project: Optional[engine.Project]) -> FileResult:
    """Lint one file's bytes; ``path`` is the display path (also given to the engine)."""
    digest = content_hash(data)
    notebook = None
    try:
        if is_notebook(path):
            notebook = read_notebook(data)
            if not notebook.is_python:
                return FileResult([], digest=digest)  # an R or Julia notebook: nothing to lint
            source = notebook.source
        else:
            source = decode_source(data)
    except FileProblem as exc:
        return FileResult(select([parse_error(path, exc.message, exc.line)], path, settings), digest=digest)
    deps: Dict[str, Optional[dict]] = {}
    internal = cacheable = False
    try:
        codes = settings.enabled - settings.ignored_for(path)
        with engine.time_budget(settings.file_timeout):
            result = engine.check_source(source, path, project, codes)
        diagnostics, deps = list(result.diagnostics), dict(result.deps)
        for d in diagnostics:
            d.path = path
        cacheable = True
    except engine.ParseFailure as exc:
        diagnostics = [parse_error(path, exc.message, exc.line or 1, exc.column or 1)]
        cacheable = True
    except engine.OutOfTime as exc:  # not cached: another run, machine or budget may make it
        diagnostics = [parse_error(path, timeout_message(exc.seconds))]
    except Exception as exc:  # noqa: BLE001 - one file's crash must not stop the run
        internal = True
        if os.environ.get("MASKLINT_DEBUG"):
            traceback.print_exc(file=sys.stderr)
        diagnostics = [parse_error(path, f"internal error: {type(exc).__name__}: {exc}; {INTERNAL_ERROR_HINT}")]
    diagnostics = select(diagnostics, path, settings)
    unused_wanted = UNUSED_CODE in settings.enabled and ("noqa" in source or "masklint:" in source)
    suppressions = parse_suppressions(source) if diagnostics or unused_wanted else Suppressions()
    diagnostics = suppressions.filter(diagnostics)
    analysed = not any(d.code == PARSE_ERROR_CODE for d in diagnostics)  # else nothing can be "unused"
    if (analysed and UNUSED_CODE in settings.enabled and UNUSED_CODE not in settings.ignored_for(path)
            and suppressions.comments):
        enabled = settings.enabled - settings.ignored_for(path)
        for d in unused_suppressions(suppressions, enabled, known_codes()):
            suppressions.keeps_quiet(d)  # marks a `# noqa: ML901` that quiets one as used
        unused = [d for d in unused_suppressions(suppressions, enabled, known_codes())
                  if not suppressions.keeps_quiet(d)]
        for d in unused:
            d.path = path
        diagnostics += unused
    if notebook is not None:
        notebook.place(diagnostics)
        for cell, line, column, message in notebook.cell_errors:
            bad = replace(parse_error(path, message, line, column), cell=cell, end_cell=cell)
            diagnostics += select([bad], path, settings)
    return FileResult(diagnostics, deps, digest if cacheable else None, internal)


def known_codes() -> frozenset:
    from masklint.rules.base import all_rules

    return frozenset(r.code for r in all_rules())


def read_notebook(data: bytes) -> Notebook:
    if len(data) > MAX_FILE_SIZE:
        raise FileProblem(f"skipped: file too large (> {MAX_FILE_SIZE // 2**20} MB)")
    try:
        return Notebook.from_bytes(data)
    except NotebookError as exc:
        raise FileProblem(str(exc)) from None


def failure_result(data: bytes, path: str, settings: Settings, message: str, internal: bool) -> FileResult:
    """One ML900 line for a file whose worker process died or was stopped (never cached)."""
    diagnostics = [parse_error(path, message)]
    try:
        diagnostics = parse_suppressions(decode_source(data)).filter(diagnostics)
    except Exception:  # noqa: BLE001 - undecodable or untokenizable: the line stays
        pass
    return FileResult(select(diagnostics, path, settings), internal_error=internal)


# --------------------------------------------------------------------------- workers
def make_project(settings: Settings, roots: Sequence[Path]) -> engine.Project:
    project = engine.Project(roots)
    project.settings = settings  # the engine reads project.settings.mask_helpers
    return project


def _worker_main(conn, settings: Settings, roots: Sequence[Path]) -> None:
    """A worker process: says it is ready, then lints one file per message until ``None``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the workers
    gc.set_threshold(*LINT_GC_THRESHOLDS)  # this process only lints
    project = make_project(settings, roots)
    fault = os.environ.get(TEST_FAULT_ENV, "")
    parent = os.getppid()
    conn.send(None)  # ready: a worker that dies before this is a start failure, not a file's
    while True:
        try:
            while not conn.poll(1.0):
                if os.getppid() != parent:  # the parent is gone (killed): do not linger
                    return
            task = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if task is None:
            return
        i, path, data = task
        if fault:
            _test_fault(fault, path)
        conn.send((i, lint_source(data, path, settings, project)))


def _test_fault(fault: str, path: str) -> None:
    kind, _, name = fault.partition(":")
    if os.path.basename(path) == name:
        if kind == "hang":
            time.sleep(3600)
        else:
            os.kill(os.getpid(), getattr(signal, kind))


class _PoolUnavailable(Exception):
    """Worker processes cannot be started (or keep dying before they are ready)."""


class _Worker:
    def __init__(self, ctx, settings: Settings, roots: Sequence[Path]) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, settings, roots), name="masklint-worker",
                                daemon=True)
        try:
            self.proc.start()
        finally:
            child.close()
        self.ready = False
        self.slot = 0  # which share of the files it works through (_shares)
        self.task: Optional[int] = None  # the index of the file it is on
        self.since = 0.0  # when it got that file

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                kill = True
        if kill and self.proc.is_alive():
            self.proc.kill()
        self.proc.join(None if kill else 1.0)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def _run_pool(tasks: List[Tuple[str, bytes]], settings: Settings, roots: List[Path], workers: int,
              results: List[Optional[FileResult]]) -> None:
    """Fill ``results`` (by task index) in worker processes, one file at a time per worker.

    The parent knows which file each worker is on: a worker that dies is that file's ML900
    ("crashed"), one still on its file ``KILL_GRACE`` s past the time budget is killed and the
    file gets its ML900 ("took longer than"); a fresh worker replaces it.  Raises
    :class:`_PoolUnavailable` when workers cannot be started; ``results`` keeps what finished.
    """
    from multiprocessing.connection import wait

    ctx = multiprocessing.get_context()
    budget = settings.file_timeout
    slots = min(workers, len(tasks))
    queues = _shares(tasks, slots)
    pool: List[_Worker] = []
    start_failures = 0

    def start(slot: int) -> _Worker:
        try:
            w = _Worker(ctx, settings, roots)
        except Exception as exc:  # noqa: BLE001 - no processes here (sandbox), no memory, ...
            raise _PoolUnavailable(str(exc)) from None
        w.slot = slot
        return w

    def assign(w: _Worker) -> None:
        w.task = None
        own = queues[w.slot]
        if own:
            i = own.popleft()
        else:  # its share is done: take the far end of the largest other share
            largest = max(queues, key=len)
            if not largest:
                return
            i = largest.pop()
        try:
            w.conn.send((i, *tasks[i]))
        except OSError:  # it died (its sentinel will say so); the file goes back in line
            own.appendleft(i)
            return
        w.task, w.since = i, time.monotonic()

    def replace(w: _Worker, kill: bool) -> None:
        w.stop(kill=kill)
        pool.remove(w)
        if any(queues):
            new = start(w.slot)
            pool.append(new)
            assign(new)

    try:
        for slot in range(slots):
            pool.append(start(slot))
        for w in pool:
            assign(w)
        while any(queues) or any(w.task is not None for w in pool):
            timeout = None
            busy = [w for w in pool if w.task is not None]
            if budget and busy:
                timeout = max(0.0, min(w.since for w in busy) + budget + KILL_GRACE - time.monotonic())
            wait([w.conn for w in pool] + [w.proc.sentinel for w in pool], timeout)
            for w in list(pool):
                died = False
                try:
                    readable = w.conn.poll()
                except OSError:  # a broken pipe (Windows): it died
                    readable, died = False, True
                if readable:
                    try:
                        msg = w.conn.recv()
                    except (EOFError, OSError):
                        died = True
                    except Exception as exc:  # noqa: BLE001 - a result that does not unpickle: a bug
                        if w.task is not None:
                            results[w.task] = failure_result(
                                tasks[w.task][1], tasks[w.task][0], settings,
                                f"internal error: unreadable result from the worker: {exc}; {INTERNAL_ERROR_HINT}", True)
                        w.task = None
                        replace(w, kill=True)
                        continue
                    else:
                        if msg is None:  # ready
                            w.ready = True
                        else:
                            i, res = msg
                            results[i] = res
                            assign(w)
                        continue
                if died or not w.proc.is_alive():
                    w.proc.join(5.0)  # its end of the pipe is closed: it is exiting
                    if w.task is not None and w.ready:
                        results[w.task] = failure_result(tasks[w.task][1], tasks[w.task][0], settings,
                                                         crash_message(w.proc.exitcode), internal=True)
                    elif not w.ready:  # it died before it was ready: not the file's fault
                        if w.task is not None:
                            queues[w.slot].appendleft(w.task)
                        start_failures += 1
                        if start_failures >= 3:
                            raise _PoolUnavailable(f"worker processes exit at start ({w.proc.exitcode})")
                    w.task = None
                    replace(w, kill=True)
                elif budget and w.task is not None and time.monotonic() > w.since + budget + KILL_GRACE:
                    results[w.task] = failure_result(tasks[w.task][1], tasks[w.task][0], settings,
                                                     timeout_message(budget), internal=False)
                    w.task = None
                    replace(w, kill=True)
    finally:
        for w in pool:
            w.stop(kill=w.task is not None)


def _shares(tasks: List[Tuple[str, bytes]], slots: int) -> List["collections.deque[int]"]:
    """The files split among ``slots`` workers in path order, each a run of neighbours: a
    package's files go to the same worker, which parses the modules they import once (each
    worker has its own project index).  Every share holds about the same number of bytes."""
    order = sorted(range(len(tasks)), key=lambda i: tasks[i][0])
    total = sum(len(tasks[i][1]) for i in order) or 1
    shares: List[collections.deque] = [collections.deque() for _ in range(slots)]
    done = 0
    for i in order:
        shares[min(slots - 1, done * slots // total)].append(i)
        done += len(tasks[i][1])
    return shares


def _run_tasks(tasks: List[Tuple[str, bytes]], settings: Settings, roots: List[Path], jobs: int,
               project: Optional[engine.Project] = None) -> List[FileResult]:
    results: List[Optional[FileResult]] = [None] * len(tasks)
    if jobs > 1 and len(tasks) >= PARALLEL_MIN_FILES:
        try:
            _run_pool(tasks, settings, roots, jobs, results)
        except _PoolUnavailable:
            pass  # ... the files not done yet are linted in this process instead
    with lint_gc():
        for i, (path, data) in enumerate(tasks):
            if results[i] is None:
                project = project or make_project(settings, roots)
                results[i] = lint_source(data, path, settings, project)
    return results  # type: ignore[return-value]


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
    roots = project_roots(paths, settings)
    project = make_project(settings, roots)  # shared by the dependency checks and the files linted here
    unchanged = DependencyCheck(hasher, project)
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
        cached = cache.get(os.path.abspath(path), digest, unchanged) if cache else None
        if cached is not None:
            for d in cached:
                d.path = shown
            diagnostics += cached
        else:
            tasks.append((shown, data))

    internal = 0
    results = _run_tasks(tasks, settings, roots, jobs or os.cpu_count() or 1, project)
    for (shown, _), res in zip(tasks, results):
        diagnostics += res.diagnostics
        internal += res.internal_error
        if cache is not None and res.digest is not None:
            deps = {}
            for dep, used in res.deps.items():
                dep_abs = os.path.abspath(dep)
                if dep_abs != os.path.abspath(shown):
                    deps[dep_abs] = DependencyCheck.record(hasher(dep_abs), used)
            cache.put(os.path.abspath(shown), res.digest, deps, res.diagnostics)
    if cache is not None:
        cache.save()

    diagnostics.sort(key=Diagnostic.sort_key)
    for d in diagnostics:
        d.localize(display_path)
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
    for d in res.diagnostics:
        d.localize(display_path)
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


# --------------------------------------------------------------------------- --add-noqa
def add_noqa(diagnostics: List[Diagnostic]) -> Tuple[int, List[Tuple[str, str]]]:
    """Add ``# masklint: ignore[CODES]`` to each line with a finding (merged into an ignore
    comment already there), writing each file atomically.  Returns (comments added or extended,
    [(path, why not)] for files left untouched).  ML900 and ML901 lines are not suppressed this way."""
    from masklint.suppress import continuations, suppression_edit

    by_line: Dict[Tuple[str, Optional[int], int], set] = {}
    for d in diagnostics:
        if d.code not in (PARSE_ERROR_CODE, UNUSED_CODE):  # not findings a comment should hide
            by_line.setdefault((d.path, d.cell, d.line), set()).add(d.code)
    sources: Dict[Tuple[str, Optional[int]], Tuple[List[str], Dict[int, int]]] = {}
    for path, cell in {(p, c) for p, c, _ in by_line}:  # each file (or cell) read and tokenized once
        source = source_text(path, cell)
        if source is not None:
            sources[path, cell] = (source.splitlines(), continuations(source))
    targets: Dict[Tuple[str, Optional[int], int], set] = {}
    for (path, cell, line), codes in by_line.items():  # a line inside a string or before a backslash:
        end = sources[path, cell][1].get(line, line) if (path, cell) in sources else line  # where that ends
        targets.setdefault((path, cell, end), set()).update(codes)
    edits: Dict[str, List[Diagnostic]] = {}
    for (path, cell, line), codes in sorted(targets.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2])):
        lines = sources.get((path, cell), ([], {}))[0]
        if not 1 <= line <= len(lines):
            continue
        text = lines[line - 1]
        start, end, replacement = suppression_edit(text, codes)
        edit = {"line": line, "column": start + 1, "end_line": line, "end_column": end + 1,
                "replacement": replacement}
        if cell is not None:
            edit["cell"] = cell
        carrier = Diagnostic("ML000", "add-noqa", "", path, line, 1, line, 1, "warning", fix=[edit],
                             fix_applicability="safe", cell=cell)
        edits.setdefault(path, []).append(carrier)
    added, errors = 0, []
    for path in sorted(edits):
        result = fix_file(path, edits[path], write=True)
        if result.error:
            errors.append((path, result.error))
        added += len(result.fixed)
    return added, errors


def source_text(path: str, cell: Optional[int] = None) -> Optional[str]:
    """The text the linter read: a file decoded as Python decodes it, or one notebook cell's
    source; None when it cannot be read."""
    try:
        data = read_bytes(path)
        return decode_source(data) if cell is None else Notebook.from_bytes(data).cell_text(cell)
    except (FileProblem, NotebookError):
        return None
