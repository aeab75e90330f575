from __future__ import annotations

from typing import Callable, Dict, Type

from torch import nn

_IMPLS: Dict[str, Type[nn.Module]] = {}


def register(name: str) -> Callable[[Type[nn.Module]], Type[nn.Module]]:
    def deco(cls: Type[nn.Module]) -> Type[nn.Module]:
        if name in _IMPLS:
            raise KeyError(f"attention impl {name!r} registered twice")
        _IMPLS[name] = cls
        return cls
    return deco


def build_attention(name: str, d_model: int, n_heads: int, dropout: float) -> nn.Module:
    from . import impls  # noqa: F401  (populates the registry)

    try:
        cls = _IMPLS[name]
    except KeyError:
        raise ValueError(f"unknown attention impl {name!r}; choose from {sorted(_IMPLS)}") from None
    return cls(d_model, n_heads, dropout)


def available_impls():
    from . import impls  # noqa: F401

    return sorted(_IMPLS)
