"""Rule base class and registry.

A rule is one small class: its code, kebab-case name, severity, whether it is on by default,
how the runtime confirms it, and a one-line summary.  Its full documentation is its page
``rules/<CODE>.md`` (shown by ``masklint rule CODE``), whose examples are run as tests.  Rules
receive *events* from the mask-flow analysis (``masklint.analysis``) and yield findings; none
of them hard-codes what True means for an API: they read it from ``masklint.conventions``.

Registration needs no list: every module of the ``masklint.rules`` package is imported, and
every ``Rule`` subclass with a code registers itself.  The engine runs the selected rules only.
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
    analysis: bool = True  # False: reported by the engine itself (ML900), not by the analysis
    # how masklint.instrument() confirms a finding at a call site that runs:
    # "experiment" (perturb what the mask should hide, see outputs move), "check" (a fact of the
    # real tensors: dtype, shape, values) or "" (static only)
    confirmed_by: str = "experiment"
    # runtime codes whose confirmed finding at the same call site confirms this one too
    also_confirmed_by: tuple = ()
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

    def on_flag(self, event) -> Iterable:  # a callee run with and without a mask its flag tests (ML401)
        return ()


def all_rules() -> List[Type[Rule]]:
    _load()
    return [REGISTRY[c] for c in sorted(REGISTRY)]


def get_rule(code: str) -> Optional[Type[Rule]]:
    """A rule by its code (``ML101``, any case) or its kebab-case name (``keep-mask-to-block-api``)."""
    _load()
    found = REGISTRY.get(code.upper())
    if found is None:
        found = next((r for r in REGISTRY.values() if r.name == code.lower()), None)
    return found


_loaded = False


def _load() -> None:
    """Import every module of this package: their Rule subclasses register themselves."""
    global _loaded
    if _loaded:
        return
    import importlib
    import pkgutil

    import masklint.rules as package

    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_") and info.name != "base":
            importlib.import_module(f"{package.__name__}.{info.name}")
    _loaded = True
