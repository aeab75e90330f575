"""``instrument()`` / ``uninstrument()`` and the sessions that receive findings.

Torch is imported only when a session really starts (``MASKLINT_DISABLE=1`` never imports it).
Several sessions may be open at once (``pytest --masklint`` plus a test's own ``with
masklint.instrument(mode="collect")``): the patches go in with the first and come out with the
last, and every open session receives every finding.
"""
from __future__ import annotations

import logging
import os
import threading
import warnings
from typing import List, Set, Tuple

from masklint.runtime.findings import Finding, MaskLintError, MaskLintWarning

MODES = ("warn", "raise", "collect")
DEFAULT_SAMPLE_EVERY = 64
log = logging.getLogger("masklint.runtime")

_lock = threading.RLock()
_sessions: List["Session"] = []
_warned: Set[Tuple[str, int, str]] = set()
_noted: Set[str] = set()


def disabled_by_env() -> bool:
    return os.environ.get("MASKLINT_DISABLE", "").strip().lower() not in ("", "0", "false", "no")


class Session:
    """One ``instrument()`` call: its mode, options and the findings it received."""

    def __init__(self, mode: str = "warn", sample_every: int = DEFAULT_SAMPLE_EVERY,
                 static: bool = True, disabled: bool = False):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        if sample_every < 0:
            raise ValueError("sample_every must be >= 0 (0: content checks only once per call site)")
        self.mode = mode
        self.sample_every = sample_every
        self.static = static
        self.disabled = disabled
        self.findings: List[Finding] = []
        self.notes: List[str] = []  # one-time notes (scripted modules left alone, ...)
        self.errors: List[str] = []  # masklint's own failures, caught and reported
        self.open = False

    # --- context manager: ``with masklint.instrument() as session:`` -----------------------
    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> bool:
        self.close()
        return False

    def close(self) -> None:
        with _lock:
            if not self.open:
                return
            self.open = False
            _sessions.remove(self)
            if not _sessions:
                from masklint.runtime import patching

                patching.uninstall()
                _warned.clear()

    @property
    def confirmed(self) -> List[Finding]:
        return [f for f in self.findings if f.confirmed]

    def report(self, evidence: bool = True, show_refuted: bool = False) -> str:
        """The text report; static findings an experiment refuted are shown with ``show_refuted``."""
        from masklint.runtime.report import format_report

        return format_report(self.findings, self.notes, self.errors, evidence=evidence, show_refuted=show_refuted)

    def __repr__(self) -> str:
        state = "disabled" if self.disabled else ("open" if self.open else "closed")
        return f"<masklint Session mode={self.mode} {state} findings={len(self.findings)}>"


def instrument(mode: str = "warn", sample_every: int = DEFAULT_SAMPLE_EVERY, static: bool = True) -> Session:
    """Check every attention call's real masks until ``uninstrument()`` (or the ``with`` block ends).

    mode: ``"warn"`` (MaskLintWarning once per call site and code), ``"raise"`` (MaskLintError on
    a confirmed finding) or ``"collect"`` (only record; read ``session.findings``).
    sample_every: content checks and experiments run on the first call of each call site and
    shape signature, then on every ``sample_every``-th call (0: never again).
    static: also lint each call site's file and confirm or refute the linter's findings there.
    """
    session = Session(mode, sample_every, static, disabled=disabled_by_env())
    if session.disabled:
        return session
    from masklint.runtime import checker, patching

    with _lock:
        if not _sessions:
            patching.install()
        checker.reset()  # a new session sees every call site afresh
        _sessions.append(session)
        session.open = True
    return session


def uninstrument() -> None:
    """Close every open session and restore everything that was patched."""
    with _lock:
        for session in list(_sessions):
            session.close()


def active() -> List[Session]:
    return list(_sessions)


def sample_every() -> int:
    """The smallest positive sampling period among open sessions (0 if all ask for none)."""
    periods = [s.sample_every for s in _sessions if s.sample_every > 0]
    return min(periods) if periods else 0


def static_enabled() -> bool:
    return any(s.static for s in _sessions)


def dispatch(finding: Finding) -> None:
    """Give a finding to every open session; warn or raise as their modes ask."""
    sessions = active()
    for s in sessions:
        s.findings.append(finding)
    if finding.refuted:
        return
    if any(s.mode == "warn" for s in sessions):
        key = (finding.path, finding.line, finding.code)
        if key not in _warned:
            _warned.add(key)
            warnings.warn_explicit(finding.format(), MaskLintWarning, finding.path or "<unknown>",
                                   finding.line or 0, module="masklint")
    if finding.confirmed and any(s.mode == "raise" for s in sessions):
        raise MaskLintError(finding)


def note(message: str) -> None:
    """A one-time note to every open session (and the log)."""
    with _lock:
        if message in _noted:
            return
        _noted.add(message)
    for s in active():
        s.notes.append(message)
    log.info("masklint: %s", message)


def internal_error(where: str, exc: BaseException) -> None:
    """masklint failed: report it, never raise it into the user's program."""
    message = f"internal error in {where}: {type(exc).__name__}: {exc}"
    for s in active():
        if message not in s.errors:
            s.errors.append(message)
    log.warning("masklint: %s", message, exc_info=exc)
