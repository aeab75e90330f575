"""The result cache: ``.masklint_cache/`` in the project root.

One JSON file per (masklint version + build fingerprint + settings fingerprint), mapping each
linted file's absolute path to the sha256 of its content, its dependencies, and its final
diagnostics (after suppression and selection).  A dependency is a project file the analysis used
(``CheckResult.deps``): the sha256 of its content, and what it gave for each name looked up in it
(``ModuleInfo.export_key``: a re-export's target, or for a function or class it defines a digest
of the definitions running it reads and of the module's top-level code).  An entry is used when
the file hashes the same and every dependency either hashes the same or still gives the same
for each name: an edit to a package's ``__init__`` that re-exports names, or to a function of
``utils.py`` that an importer does not run, does not re-lint it.  Files that could not be read,
and internal errors, are never cached.

Writes are atomic (temporary file + ``os.replace``); an unreadable or corrupt cache file is
treated as empty; a cache directory that cannot be written disables caching silently.  The
directory holds a ``CACHEDIR.TAG`` and a ``.gitignore`` of ``*``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import masklint
from masklint.diagnostics import Diagnostic

CACHE_DIR_NAME = ".masklint_cache"
FORMAT = 5  # 2: every entry carries a checksum of its own content; 3: structured evidence, help, note;
# 4: dependencies record the names used of a names-only dependency; 5: ... and of definitions used
KEEP_RESULT_FILES = 8  # result files of other builds/settings kept (switching branches, --select)
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by masklint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _build_fingerprint() -> str:
    """The version, plus the size and mtime of the package's modules (a dev checkout changes)."""
    package = Path(masklint.__file__).parent
    parts = [masklint.__version__, str(FORMAT)]
    for py in sorted(package.rglob("*.py")):
        try:
            st = py.stat()
        except OSError:
            continue
        parts.append(f"{py.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_bytes(path: Path, data: bytes, mode: Optional[int] = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory.

    ``mode`` defaults to what a plain ``open(path, "w")`` would create (0o666 minus umask)."""
    if mode is None:
        mode = _default_mode()
    fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _entry_checksum(path: str, entry: dict) -> str:
    body = {"path": path, "hash": entry["hash"], "deps": entry["deps"], "diagnostics": entry["diagnostics"]}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


_FIELD_TYPES = {f.name: f.type for f in dataclasses.fields(Diagnostic)}


def _diagnostic(d: dict) -> Diagnostic:
    """A cached diagnostic, its fields checked against :class:`Diagnostic` (ValueError if not)."""
    if not isinstance(d, dict) or set(d) != set(_FIELD_TYPES):
        raise ValueError("not a diagnostic")
    diag = Diagnostic(**d)
    ints = (diag.line, diag.column, diag.end_line, diag.end_column)
    strs = (diag.code, diag.name, diag.message, diag.path, diag.severity)
    if not all(type(v) is int and v >= 0 for v in ints) or not all(isinstance(v, str) for v in strs):
        raise ValueError("bad field types")
    if not isinstance(diag.evidence, list) or diag.fix is not None and not isinstance(diag.fix, list):
        raise ValueError("bad field types")
    return diag


class Cache:
    def __init__(self, directory: Path, settings_fingerprint: str):
        self.directory = Path(directory)
        key = hashlib.sha256(f"{_build_fingerprint()}:{settings_fingerprint}".encode()).hexdigest()[:20]
        self.file = self.directory / f"results-{key}.json"
        self.entries: Dict[str, dict] = {}
        self.dirty = False
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("files"), dict):
            self.entries = data["files"]

    def get(self, path: str, digest: str, dep_unchanged: Callable[[str, dict], bool]) -> Optional[List[Diagnostic]]:
        """The cached diagnostics of ``path`` when its content and its dependencies are unchanged
        (``dep_unchanged(dep_path, record)``, a :class:`DependencyCheck`) and the entry is intact:
        an entry whose checksum does not match what it holds (edited by hand, truncated, written
        by another tool) or whose fields have the wrong types is a miss."""
        entry = self.entries.get(path)
        try:
            if not entry or entry["hash"] != digest or entry.get("check") != _entry_checksum(path, entry):
                return None
            for dep, record in entry["deps"].items():
                if not isinstance(record, dict) or not dep_unchanged(dep, record):
                    return None
            return [_diagnostic(d) for d in entry["diagnostics"]]
        except (KeyError, TypeError, AttributeError, ValueError):  # a corrupt entry
            return None

    def put(self, path: str, digest: str, deps: Dict[str, dict], diagnostics: List[Diagnostic]) -> None:
        entry = {"hash": digest, "deps": deps, "diagnostics": [d.to_dict() for d in diagnostics]}
        entry["check"] = _entry_checksum(path, entry)
        self.entries[path] = entry
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tag = self.directory / "CACHEDIR.TAG"
            if not tag.exists():
                atomic_write_bytes(tag, _TAG.encode())
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                atomic_write_bytes(ignore, b"# Created by masklint automatically.\n*\n")
            blob = json.dumps({"format": FORMAT, "files": self.entries}, separators=(",", ":"))
            atomic_write_bytes(self.file, blob.encode("utf-8"))
            self._prune()
        except OSError:
            pass  # a read-only checkout: run without a cache
        self.dirty = False


    def _prune(self, keep: int = KEEP_RESULT_FILES) -> None:
        """Forget the results of old masklint builds and settings (the most recent are kept)."""
        others = sorted(self.directory.glob("results-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[keep:]:
            if old != self.file:
                old.unlink()


class DependencyCheck:
    """Is a dependency as a cached result recorded it?  ``record`` is ``{"hash": sha256 or None
    (the file did not exist), "used": {"module": its module name, "names": {name: what it gave}}}``.
    Unchanged content is unchanged; a dependency whose content changed is parsed (once per run)
    and asked for those names again."""

    def __init__(self, hasher: "FileHasher", project=None):
        self.hasher = hasher
        self.project = project  # the run's engine.Project: a dependency parsed here is not parsed again
        self._modules: Dict[Tuple[str, Optional[str]], object] = {}

    @staticmethod
    def record(hash_: Optional[str], used: dict) -> dict:
        return {"hash": hash_, "used": used}

    def __call__(self, path: str, record: dict) -> bool:
        current = self.hasher(path)
        if current == record["hash"]:
            return True
        used = record["used"]
        if current is None:
            return False
        info = self._module(path, used["module"])
        return info is not None and all(info.export_key(name) == answer for name, answer in used["names"].items())

    def _module(self, path: str, modname: Optional[str]):
        key = (path, modname)
        if key not in self._modules:
            from masklint.analysis.modules import ProjectIndex, load_module

            info = None
            if self.project is not None and modname:
                # through the run's own index: when the changed file is linted in this process
                # (an edit re-lints a few files), its parse is reused (ProjectIndex.reuse)
                info = self.project.index().module(modname)
                if info is not None and os.path.abspath(info.path) != os.path.abspath(path):
                    info = None
            self._modules[key] = info or load_module(path, modname, ProjectIndex())  # None: changed
        return self._modules[key]


class FileHasher:
    """Memoised content hashes of dependency files for one run (None: unreadable/missing)."""

    def __init__(self):
        self._memo: Dict[str, Optional[str]] = {}

    def __call__(self, path: str) -> Optional[str]:
        if path not in self._memo:
            try:
                with open(path, "rb") as f:
                    self._memo[path] = content_hash(f.read())
            except OSError:
                self._memo[path] = None
        return self._memo[path]
