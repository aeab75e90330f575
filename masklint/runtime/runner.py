"""``masklint run script.py [args...]``: run a script under ``instrument(mode="collect")``.

The CLI's ``run`` subcommand calls :func:`run_script` with everything after ``run``.
"""
from __future__ import annotations

import os
import runpy
import sys
import time
import traceback
from typing import List, Optional, TextIO

from masklint.runtime import ranks

_STARTED = time.time()  # when this process started masklint (a rank's files are newer than its job)
USAGE = "usage: masklint run SCRIPT.py [ARGS...]  |  masklint run -m MODULE [ARGS...]"


def run_script(argv: List[str], report_to: Optional[TextIO] = None, mode: str = "collect",
               report_file: Optional[str] = None) -> int:
    """Run ``argv[0]`` (a script path, or ``-m module``) with ``argv`` as its ``sys.argv``, print
    the findings report to ``report_to`` (stderr), and return 1 if any finding was confirmed,
    2 on a usage error, else the script's own exit code.  ``mode``: as for ``instrument()``
    ("collect", "warn" or "raise"); ``report_file``: also write the findings there as JSON."""
    out = report_to or sys.stderr
    if not argv or (argv[0] == "-m" and len(argv) < 2):
        print(USAGE, file=out)
        return 2
    module = argv[1] if argv[0] == "-m" else None
    script_argv = argv[1:] if module else list(argv)
    if module is None and not os.path.isfile(argv[0]):
        print(f"masklint run: no such file: {argv[0]}", file=out)
        return 2

    from masklint.runtime.session import instrument

    saved_argv, saved_path = sys.argv[:], sys.path[:]
    sys.argv = [module or argv[0]] + script_argv[1:] if module else script_argv
    sys.path.insert(0, os.getcwd() if module else os.path.dirname(os.path.abspath(argv[0])))
    session = instrument(mode=mode)
    try:
        if module:
            runpy.run_module(module, run_name="__main__", alter_sys=True)
        else:
            runpy.run_path(argv[0], run_name="__main__")
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc.code, out)
    except KeyboardInterrupt:
        code = 130
    except BaseException:  # noqa: BLE001 - the script failed: show it like python would
        traceback.print_exc()
        code = 1
    finally:
        session.close()
        sys.argv[:], sys.path[:] = saved_argv, saved_path
    if report_file:
        _write_report(report_file, session, out)
    rank, world = ranks.rank_info()
    if rank is None:
        print(session.report(), file=out)
        return 1 if session.confirmed else code
    return _distributed_end(session, rank, world, code, out)


def _distributed_end(session, rank: int, world: int, code: int, out: TextIO) -> int:
    """A rank of a torchrun job: write this rank's report file; rank 0 merges and prints (unless
    the ``masklint run --nproc-per-node`` launcher does).  Always the program's own exit status:
    a finding never fails a job that succeeded, nor makes torchrun kill the other ranks."""
    directory = ranks.report_dir()
    try:
        path = ranks.write_rank_report(directory, rank, world, session, code)
    except OSError as exc:
        print(f"masklint run (rank {rank}): cannot write the report file: {exc.strerror or exc}; "
              f"this rank's report:\n{session.report()}", file=out)
        return code
    if os.environ.get(ranks.QUIET_ENV) == "files":
        return code
    if rank != 0:
        print(f"masklint run (rank {rank}): {len(session.findings)} finding(s) written to {path}; rank 0 prints "
              "the merged report", file=out)
        return code
    merged = ranks.merge(ranks.wait_for(directory, world, since=_STARTED - 60))
    print(merged.report(), file=out)
    return code


def _write_report(path: str, session, out: TextIO) -> None:
    try:
        ranks.write_report(path, session.findings, session.notes, session.errors)
    except OSError as exc:
        print(f"masklint run: cannot write the report file {path}: {exc.strerror or exc}", file=out)


def _exit_code(code, out: TextIO) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=out)
    return 1
