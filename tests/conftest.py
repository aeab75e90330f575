"""Shared test helpers (kept small: most helpers live with their tests)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
_FAKE_MAIN = "import sys, fake_engine; fake_engine.install(); from masklint.cli import main; main()"


@pytest.fixture
def fake_engine(monkeypatch):
    """Replace the analysis by ``tests/fake_engine.py``; yields its list of analysed paths."""
    import fake_engine as fake
    from masklint import engine

    fake.calls.clear()
    monkeypatch.setattr(engine, "check_source", fake.check_source)
    return fake.calls


@pytest.fixture
def masklint_cmd():
    """``masklint_cmd(*args, cwd=..., fake=False)``: see :func:`run_masklint`."""
    return run_masklint


def run_masklint(*args, cwd, fake=False, env=None, timeout=60):
    """Run the real ``masklint`` command in a subprocess (``fake=True``: with the fake engine)."""
    full_env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
                "NO_COLOR": "1", **(env or {})}
    cmd = [sys.executable, "-c", _FAKE_MAIN] if fake else [sys.executable, "-m", "masklint"]
    return subprocess.run([*cmd, *map(str, args)], cwd=cwd, env=full_env, capture_output=True, text=True,
                          timeout=timeout)
