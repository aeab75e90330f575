"""Rule base class and registry.

A rule is one small class: its code, kebab-case name, severity, whether it is on by default,
and a one-line summary.  Its full documentation is its page ``rules/<CODE>.md`` (shown by
``masklint rule CODE``), whose examples are run as tests.  Rules receive *events* from the
mask-flow analysis (``masklint.analysis``) and yield findings; none of them hard-codes what
True means for an API: they read it from ``masklint.conventions``.
"""
from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Type

REGISTRY: Dict[str, Type["Rule"]] = {}


class Rule:
    code: str = ""
    name: str = ""
    severity: str = "error"  # "error": wrong results, errors or NaN; "warning": risky
    default: bool = True  # False: opt-in (select it explicitly)
    runtime_only: bool = False  # ML6xx: only the runtime hook reports these
    summary: str = ""

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if cls.code:
            if cls.code in REGISTRY:
                raise ValueError(f"duplicate rule code {cls.code}")
            REGISTRY[cls.code] = cls

    # --- hooks called by the analysis; each yields (node, message, evidence) tuples -------
    def on_sink(self, event) -> Iterable:  # a call into an attention API
        return ()

    def on_model(self, event) -> Iterable:  # a model class (for ML401 / ML502)
        return ()

    def on_value(self, event) -> Iterable:  # a mask value being built (ML205)
        return ()


def all_rules() -> List[Type[Rule]]:
    _load()
    return [REGISTRY[c] for c in sorted(REGISTRY)]


def get_rule(code: str) -> Optional[Type[Rule]]:
    _load()
    return REGISTRY.get(code.upper())


def _load() -> None:
    # importing the rule modules registers their classes
    from masklint.rules import causal, dtype, polarity, shape, slots, meta, runtime_codes  # noqa: F401
