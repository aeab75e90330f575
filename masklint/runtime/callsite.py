"""Where an attention call comes from, and what the static linter says about that line."""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from types import FrameType
from typing import Dict, List, Optional

import torch

import masklint

_TORCH_DIR = os.path.dirname(torch.__file__) + os.sep
_MASKLINT_DIR = os.path.dirname(masklint.__file__) + os.sep
# torch frames that only forward a call (Module.__call__, torch.compile's eval frame, decorators)
_PLUMBING = tuple(os.path.join(_TORCH_DIR, p) for p in (
    os.path.join("nn", "modules", "module.py"), "_dynamo" + os.sep, "compiler" + os.sep,
    os.path.join("utils", "_contextlib.py"),
))

#: the file of masklint's wrappers: their frames are recognised by it (torch.compile runs them
#: as transformed code objects with the same file name)
WRAPPER_FILE = os.path.join(_MASKLINT_DIR, "runtime", "patching.py")


@dataclass(frozen=True)
class Site:
    path: str
    line: int  # first line of the call expression
    end_line: int  # last line of the call expression

    @property
    def key(self):
        return (self.path, self.line)


def _is_plumbing(filename: str) -> bool:
    # "<eval_with_key>.N": code torch.fx generated (torch.compile graphs)
    return filename.startswith(_PLUMBING) or filename.startswith("<eval_with_key>")


def _is_torch(filename: str) -> bool:
    return filename.startswith(_TORCH_DIR)


def _is_masklint(filename: str) -> bool:
    return filename.startswith(_MASKLINT_DIR)


def _span(frame: FrameType):
    """Lines of the expression being executed in ``frame`` (the whole call on 3.11+)."""
    line = frame.f_lineno or 0
    positions = getattr(frame.f_code, "co_positions", None)
    if positions is not None and frame.f_lasti >= 0:
        try:
            start, end = list(positions())[frame.f_lasti // 2][:2]
            if start and end and start <= line <= end:
                return start, end
        except (IndexError, ValueError):
            pass
    return line, line


def find_site(frame: Optional[FrameType]) -> Optional[Site]:
    """The call site of the wrapped API call that ``frame`` (inside masklint) belongs to.

    Returns None when torch itself made the call (``Module.__call__`` does not count): the
    outer torch API call, which masklint wraps too, already covers it.
    """
    user = user_frame(frame)
    if user is None:
        return None
    start, end = _span(user)
    return Site(user.f_code.co_filename, start, end)


def user_frame(frame: Optional[FrameType]) -> Optional[FrameType]:
    """The user's frame that makes the wrapped API call ``frame`` (inside masklint) belongs to,
    or None when torch itself made it."""
    while frame is not None and frame.f_code.co_filename != WRAPPER_FILE:
        frame = frame.f_back
    while frame is not None and frame.f_code.co_filename == WRAPPER_FILE:
        frame = frame.f_back  # the wrapper, and the object that holds it (patching._SameAs)
    if frame is None:
        return None
    while frame is not None and _is_plumbing(frame.f_code.co_filename):
        frame = frame.f_back
    if frame is None:
        return None
    filename = frame.f_code.co_filename
    if _is_torch(filename) or _is_masklint(filename):
        return None
    return frame


_HELD = re.compile(r"""^(\w+)((?:\.\w+|\[(?:'\w+'|"\w+")\])*)$""")


def held_mask(frame: Optional[FrameType], name: str, path: str, line: int):
    """The value of ``name`` (a local, its attributes, its constant keys: ``batch.mask``,
    ``batch["mask"]``) that a static finding says is held and never passed: in the user's frame
    ``frame`` that makes the attention call, else in the frame up the stack executing line ``line``
    of ``path`` (the caller the finding is reported at).  None when neither holds it."""
    m = _HELD.match(name)
    if m is None or frame is None:
        return None
    value = _lookup(frame, m)
    if value is not None:
        return value
    want = os.path.realpath(path)
    for _ in range(64):
        frame = frame.f_back
        if frame is None:
            return None
        if os.path.realpath(frame.f_code.co_filename) == want:
            start, end = _span(frame)
            if start <= line <= end:
                return _lookup(frame, m)
    return None


def _lookup(frame: FrameType, m: "re.Match"):
    value = frame.f_locals.get(m.group(1))
    for attr, key in re.findall(r"\.(\w+)|\[['\"](\w+)['\"]\]", m.group(2)):
        try:
            value = getattr(value, attr) if attr else value[key]
        except Exception:  # noqa: BLE001 - a property that raises, a missing key: no value
            return None
    return value


# --- static findings at a call site ------------------------------------------------------------
_static_lock = threading.Lock()
_static_cache: Dict[tuple, list] = {}


def static_diagnostics(path: str) -> list:
    """``masklint.engine.check_source`` on ``path``, once per file version; [] when it cannot be
    linted (no such file, or the linter failed: that is noted, never raised)."""
    from masklint import engine

    try:
        stat = os.stat(path)
    except OSError:
        return []
    key = (engine.check_source, path, stat.st_mtime_ns, stat.st_size)
    with _static_lock:
        if key in _static_cache:
            return _static_cache[key]
    diagnostics: list = []
    if os.path.isfile(path):
        try:
            with open(path, encoding="utf-8") as fh:
                source = fh.read()
            diagnostics = _selected(list(engine.check_source(source, path).diagnostics), path)
        except Exception as exc:  # noqa: BLE001 - the linter must never break the user's run
            from masklint.runtime.session import note

            note(f"static analysis of {path} failed ({type(exc).__name__}: {exc}); runtime checks only")
            diagnostics = []
    with _static_lock:
        _static_cache[key] = diagnostics
    return diagnostics


def _selected(diagnostics: list, path: str) -> list:
    """The rules the command line would report for this file: its project's [tool.masklint]
    selection, or the default set (opt-in rules such as ML204 stay off)."""
    try:
        from masklint.config import discover_settings
        from masklint.runner import select

        return select(diagnostics, path, discover_settings([path]).finalize())
    except Exception:  # noqa: BLE001 - a broken config must not break the user's run
        from masklint.rules import get_rule

        return [d for d in diagnostics if getattr(get_rule(d.code), "default", False)]


def static_at(site: Site) -> List:
    """Static diagnostics about the call expression at ``site``: reported on its lines, or carried
    from it to the caller that passes the mask in (their last evidence step is this call)."""
    return [d for d in static_diagnostics(site.path) if site.line <= d.line <= site.end_line or consumed_at(d, site)]


def consumed_at(d, site: Site) -> bool:
    """Was ``d`` carried out of the call at ``site`` (reported where its caller passes the mask)?"""
    from masklint.analysis.events import REACHES

    last = d.evidence[-1] if d.evidence else None
    return bool(last and last.get("path") in (None, site.path) and last.get("line") is not None
                and site.line <= last["line"] <= site.end_line and last.get("text", "").startswith(REACHES))


# --- suppression comments (``# masklint: ignore[ML101]``, ``# noqa: ML101``, ignore-file) ------
_suppression_cache: Dict[tuple, object] = {}


@dataclass(frozen=True)
class _At:
    code: str
    line: int


def suppressed(site: Site, code: str) -> bool:
    """Whether a suppression comment on any line of the call (or file-wide) silences ``code``."""
    try:
        stat = os.stat(site.path)
    except OSError:
        return False
    key = (site.path, stat.st_mtime_ns, stat.st_size)
    sup = _suppression_cache.get(key)
    if sup is None:
        from masklint.suppress import parse_suppressions

        try:
            with open(site.path, encoding="utf-8") as fh:
                sup = parse_suppressions(fh.read())
        except (OSError, UnicodeDecodeError):
            return False
        _suppression_cache[key] = sup
    return any(sup.suppresses(_At(code, line)) for line in range(site.line, site.end_line + 1))
