"""masklint: find attention-mask bugs in PyTorch code.

The static linter (``masklint`` on the command line) needs no torch.  The runtime hook,
``masklint.instrument()``, imports torch lazily on first use.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "instrument", "uninstrument", "MaskLintWarning", "MaskLintError", "Finding"]


def __getattr__(name):  # PEP 562: keep ``import masklint`` free of torch
    if name in ("instrument", "uninstrument", "MaskLintWarning", "MaskLintError", "Finding"):
        from masklint import runtime

        return getattr(runtime, name)
    raise AttributeError(f"module 'masklint' has no attribute {name!r}")
