"""``pytest --masklint``: check the real attention masks of every test.

The whole test session runs under ``masklint.instrument(mode="collect")``; a test whose calls
produced a confirmed finding fails with the findings as its message, and the terminal summary
lists every finding.  Registered through the ``pytest11`` entry point, so it is always loaded:
without ``--masklint`` it does nothing, and this module never imports torch (the linter is
installed where torch is absent).
"""
from __future__ import annotations

import pytest

_SESSION = pytest.StashKey()


def pytest_addoption(parser):
    group = parser.getgroup("masklint")
    group.addoption("--masklint", action="store_true", default=False,
                    help="check attention masks at runtime (masklint.instrument) and fail tests with "
                         "confirmed mask bugs")


def pytest_configure(config):
    if not config.getoption("masklint", False):
        return
    from masklint.runtime.session import instrument

    config.stash[_SESSION] = instrument(mode="collect")


def pytest_unconfigure(config):
    session = config.stash.get(_SESSION, None)
    if session is not None:
        session.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    session = item.config.stash.get(_SESSION, None)
    if session is None or session.disabled:
        return (yield)
    from masklint.runtime import checker

    checker.reset()  # each test sees its call sites afresh, so its own findings are its own
    start = len(session.findings)
    result = yield
    confirmed = [f for f in session.findings[start:] if f.confirmed]
    if confirmed:
        text = "\n".join(f.format() for f in confirmed)
        pytest.fail(f"masklint: {len(confirmed)} confirmed attention-mask finding(s)\n{text}", pytrace=False)
    return result


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    session = config.stash.get(_SESSION, None)
    if session is None:
        return
    if session.disabled:
        terminalreporter.write_line("masklint: disabled by MASKLINT_DISABLE")
        return
    terminalreporter.section("masklint runtime")
    terminalreporter.write_line(session.report(evidence=False))
