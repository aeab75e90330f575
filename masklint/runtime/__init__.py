"""The runtime half of masklint: check the real masks of every attention call, confirm by experiment.

    import masklint
    with masklint.instrument(mode="collect") as session:
        model(batch)
    print(session.report())

Importing this package does not import torch (the pytest plugin lives here and must load where
torch is absent); ``instrument()`` imports it when a session starts.
"""
from masklint.runtime.findings import Finding, MaskLintError, MaskLintWarning
from masklint.runtime.session import Session, instrument, uninstrument

__all__ = ["instrument", "uninstrument", "Session", "Finding", "MaskLintWarning", "MaskLintError"]
