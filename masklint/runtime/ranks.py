"""One report for a distributed job: report files per rank, merged without any collective.

Under ``torchrun`` (``RANK`` and ``WORLD_SIZE`` in the environment, ``WORLD_SIZE`` > 1), each
rank's ``masklint run`` writes ``rank-<RANK>.json`` into the job's report directory and keeps the
program's own exit status: masklint never turns a job that succeeded into a failed one, and a
rank that finishes never blocks another.  Rank 0 then waits (a bounded time) for the other
ranks' files, merges them and prints one report whose findings name the ranks they occurred on.
With no shared filesystem (several machines), rank 0 merges what it can see and says which
ranks it has not seen; ``masklint report DIR...`` merges the files afterwards.

The directory is ``$MASKLINT_REPORT_DIR`` when set (``masklint run --nproc-per-node`` sets it),
else ``.masklint_reports/<TORCHELASTIC_RUN_ID>`` under the working directory.  Torch-free.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import fields
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from masklint.runtime.findings import Finding

REPORT_DIR_ENV = "MASKLINT_REPORT_DIR"
QUIET_ENV = "MASKLINT_RANK_REPORT"  # "files": ranks only write their files (the launcher prints)
WAIT_SECONDS = 60.0  # how long rank 0 waits for the other ranks' files
FORMAT = 1


def rank_info() -> Tuple[Optional[int], int]:
    """(rank, world size) of this process under torchrun; (None, 1) when not distributed."""
    try:
        world = int(os.environ.get("WORLD_SIZE", "1"))
        rank = int(os.environ["RANK"]) if "RANK" in os.environ else None
    except ValueError:
        return None, 1
    return (rank, world) if world > 1 and rank is not None else (None, 1)


def report_dir() -> Path:
    explicit = os.environ.get(REPORT_DIR_ENV)
    if explicit:
        return Path(explicit)
    run_id = os.environ.get("TORCHELASTIC_RUN_ID") or os.environ.get("MASTER_PORT") or "run"
    return Path.cwd() / ".masklint_reports" / run_id


def write_report(path, findings, notes, errors, **extra) -> Path:
    """A runtime report as JSON (``--report-file``, rank files, merged reports), written atomically;
    raises OSError."""
    from masklint.cache import atomic_write_bytes

    data = {**extra, "findings": [f.to_dict() for f in findings], "notes": list(notes), "errors": list(errors)}
    path = Path(os.path.abspath(path))
    atomic_write_bytes(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))
    return path


def write_rank_report(directory: Path, rank: int, world: int, session, exit_status: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    return write_report(directory / f"rank-{rank}.json", session.findings, session.notes, session.errors,
                        format=FORMAT, rank=rank, world_size=world, exit_status=exit_status)


def wait_for(directory: Path, world: int, since: float = 0.0, seconds: float = WAIT_SECONDS) -> List[Path]:
    """The rank files of this job (written after ``since``, a ``time.time()``: older ones are a
    previous run's) once all ``world`` are there, or when ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        found = []
        for p in sorted(directory.glob("rank-*.json")):
            try:
                if p.stat().st_mtime >= since:
                    found.append(p)
            except OSError:
                continue
        if len(found) >= world or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


class Merged:
    """Findings of several ranks, one per (code, place, message), with the ranks that saw it."""

    def __init__(self) -> None:
        self.findings: List[Finding] = []
        self.notes: List[str] = []
        self.errors: List[str] = []
        self.ranks_seen: List[int] = []
        self.world_size = 0
        self.exit_statuses: Dict[int, int] = {}
        self.unreadable: List[str] = []
        self._index: Dict[tuple, Finding] = {}

    def add_file(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            rank = int(data["rank"])
            items = [_finding(d) for d in data["findings"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.unreadable.append(f"{path}: {exc}")
            return
        self.ranks_seen.append(rank)
        self.world_size = max(self.world_size, int(data.get("world_size") or 0))
        self.exit_statuses[rank] = int(data.get("exit_status") or 0)
        for n in data.get("notes", []):
            if n not in self.notes:
                self.notes.append(n)
        self.errors += [f"rank {rank}: {e}" for e in data.get("errors", [])]
        for f in items:
            key = (f.code, f.path, f.line, f.param, f.source)
            same = self._index.get(key)
            if same is None:
                f.ranks = [rank]
                self._index[key] = f
                self.findings.append(f)
            else:
                same.ranks = sorted(set(same.ranks) | {rank})
                if f.confirmed and not same.confirmed:  # the rank that confirmed it tells why
                    same.confirmed, same.refuted, same.evidence = True, False, f.evidence

    @property
    def missing(self) -> List[int]:
        return [r for r in range(self.world_size) if r not in self.ranks_seen]

    @property
    def confirmed(self) -> List[Finding]:
        return [f for f in self.findings if f.confirmed]

    def report(self) -> str:
        from masklint.runtime.report import format_report

        world = self.world_size or len(self.ranks_seen)
        for f in self.findings:
            if world > 1:
                f.rank_note = ("on every rank" if len(f.ranks) == world else
                               f"on rank{'s' if len(f.ranks) > 1 else ''} {', '.join(map(str, f.ranks))} only")
        notes = list(self.notes)
        if self.missing:
            notes.append(f"no report from rank(s) {', '.join(map(str, self.missing))} of {world}: they may have "
                         f"failed, or run on another machine (merge the files later: masklint report DIR)")
        notes += [f"unreadable report file {u}" for u in self.unreadable]
        text = format_report(self.findings, notes, self.errors)
        return text + f" across {len(self.ranks_seen)} rank(s)" if world > 1 else text


def _finding(d: dict) -> Finding:
    names = {f.name for f in fields(Finding)}
    return Finding(**{k: v for k, v in d.items() if k in names})


def merge(paths: Iterable[Path]) -> Merged:
    merged = Merged()
    for p in paths:
        merged.add_file(Path(p))
    return merged


def report_files(targets: Iterable[str]) -> List[Path]:
    """The ``rank-*.json`` files of directories (searched recursively) and files named."""
    out: List[Path] = []
    for t in targets:
        p = Path(t)
        out += sorted(p.rglob("rank-*.json")) if p.is_dir() else [p]
    return out
