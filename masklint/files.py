"""Which files a run lints.

* A file named on the command line is always linted, whatever its name and whether or not it
  is excluded or git-ignored (``--force-exclude`` / ``force-exclude = true`` applies
  ``exclude``/``extend-exclude`` to them too, for pre-commit).
* A directory is walked for ``*.py`` files and ``*.ipynb`` notebooks, skipping ``exclude`` + ``extend-exclude`` patterns
  (gitignore syntax, relative to the project root; default: ``config.DEFAULT_EXCLUDE``) and
  whatever git would ignore: ``.gitignore`` files in the tree and in its parents up to the
  repository root, and ``.git/info/exclude``.  A directory named on the command line is itself
  never excluded: when it is, the patterns and ignore files apply below it as if it were the
  root (``masklint build/`` lints ``build/x.py`` but not ``build/__pycache__/``).  Symbolic links to directories are not followed while walking (no loops);
  symbolic links to files are.
* Paths that do not exist, and directories that cannot be listed, are returned as problems
  (reported as ML900 by the runner).  The file list is sorted and has no duplicates.
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import pathspec

from masklint.config import Settings

SOURCE_SUFFIXES = (".py", ".ipynb")  # Python files and Jupyter notebooks
ALWAYS_SKIPPED = frozenset({".git", ".masklint_cache"})  # even when ``exclude`` replaces the defaults


@dataclass
class Discovery:
    files: List[str] = field(default_factory=list)  # paths as the user spelled their parents
    problems: List[Tuple[str, str]] = field(default_factory=list)  # (path, message)


class _GitIgnores:
    """A stack of (directory, spec) for the ``.gitignore`` files that apply while walking."""

    def __init__(self, entries: Optional[List[Tuple[str, pathspec.GitIgnoreSpec]]] = None):
        self.entries = entries or []

    @staticmethod
    def _load(base: str, file: str) -> Optional[Tuple[str, pathspec.GitIgnoreSpec]]:
        try:
            with open(file, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            return None
        return (base, pathspec.GitIgnoreSpec.from_lines(lines)) if lines else None

    def entering(self, directory: str) -> "_GitIgnores":
        loaded = self._load(directory, os.path.join(directory, ".gitignore"))
        return _GitIgnores(self.entries + [loaded]) if loaded else self

    def ignored(self, path: str, is_dir: bool) -> bool:
        for base, spec in reversed(self.entries):  # the deepest file decides first
            rel = os.path.relpath(path, base).replace(os.sep, "/")
            if rel.startswith("../"):
                continue
            if rel == ".":
                continue
            result = spec.check_file(rel + "/" if is_dir else rel)
            if result.include is not None:
                return result.include
        return False

    @classmethod
    def for_walk_root(cls, directory: str) -> "_GitIgnores":
        """The ignore files that apply to ``directory``: from the repository root down to it."""
        directory = os.path.abspath(directory)
        chain = [directory]
        repo = None
        current = directory
        while True:
            if os.path.exists(os.path.join(current, ".git")):
                repo = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
            chain.append(current)
        ignores = cls()
        if repo is None:
            return ignores.entering(directory)
        info = cls._load(repo, os.path.join(repo, ".git", "info", "exclude"))
        if info:
            ignores = cls([info])
        for d in reversed(chain):
            ignores = ignores.entering(d)
        return ignores


def _walk(directory: str, settings: Settings, ignores: _GitIgnores, out: Discovery,
          base: Optional[str] = None) -> None:
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        out.problems.append((directory, exc.strerror or str(exc)))
        return
    for entry in entries:
        path = entry.path
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            if entry.name in ALWAYS_SKIPPED or settings.is_excluded(path, True, base):
                continue
            if settings.respect_gitignore and ignores.ignored(path, True):
                continue
            _walk(path, settings, ignores.entering(path) if settings.respect_gitignore else ignores, out, base)
        elif entry.name.endswith(SOURCE_SUFFIXES):
            # regular files and symlinks to files; a broken or looping link is kept so that
            # reading it reports why
            if entry.is_symlink() and os.path.isdir(path):
                continue
            if settings.is_excluded(path, False, base):
                continue
            if settings.respect_gitignore and ignores.ignored(path, False):
                continue
            out.files.append(path)


def discover(paths: Sequence[str], settings: Settings, force_exclude: bool = False) -> Discovery:
    out = Discovery()
    force_exclude = force_exclude or settings.force_exclude
    for raw in paths:
        path = os.path.normpath(raw)
        if not os.path.lexists(path):
            out.problems.append((path, os.strerror(errno.ENOENT)))
        elif os.path.isdir(path):
            # a named directory is walked even when excluded or ignored itself; then the
            # patterns apply below it, as if it were the root
            base = os.path.abspath(path) if settings.is_excluded(path, True) else None
            ignores = _GitIgnores()
            if settings.respect_gitignore:
                ignores = _GitIgnores.for_walk_root(path)
                if ignores.ignored(os.path.abspath(path), True):
                    ignores = _GitIgnores().entering(os.path.abspath(path))
            _walk(path, settings, ignores, out, base)
        elif not (force_exclude and settings.is_excluded(path)):
            out.files.append(path)
    seen = set()
    unique = []
    for f in out.files:
        key = os.path.abspath(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    out.files = sorted(unique, key=display_path)
    return out


def display_path(path: str) -> str:
    """How a path is shown: relative to the current directory when under it, else absolute."""
    absolute = os.path.abspath(path)
    try:
        return Path(absolute).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute
