"""Fixtures for the runtime checker's tests: tiny real torch modules and tensors."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

import masklint  # noqa: E402
from masklint.runtime import patching, session  # noqa: E402

# torch's own notes that these tests provoke on purpose
QUIET = [
    "ignore:flex_attention called without torch.compile:UserWarning",
    "ignore:The PyTorch API of nested tensors is in prototype stage:UserWarning",
    "ignore:enable_nested_tensor is True:UserWarning",
    "ignore:Support for mismatched key_padding_mask and attn_mask is deprecated:UserWarning",
    "ignore:Lower right causal bias:UserWarning",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/runtime" in str(item.fspath).replace("\\", "/"):
            for spec in QUIET:
                item.add_marker(pytest.mark.filterwarnings(spec))


@pytest.fixture(autouse=True)
def _clean():
    """Every test starts and ends with nothing instrumented, and a fixed seed."""
    masklint.uninstrument()
    torch.manual_seed(0)
    yield
    leaked = session.active()
    masklint.uninstrument()
    assert not leaked, "a test left a masklint session open"
    assert not patching.installed()


@pytest.fixture
def collect():
    """``collect(fn)``: run ``fn`` under ``instrument(mode="collect")`` and return the session."""

    def run(fn, **options):
        with masklint.instrument(mode="collect", **options) as s:
            fn()
        assert not s.errors, s.errors
        return s

    return run
