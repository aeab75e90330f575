from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Mapping


@dataclass
class AttentionConfig:
    impl: str = "sdpa"
    n_heads: int = 4
    dropout: float = 0.0


@dataclass
class LMConfig:
    vocab_size: int = 256
    d_model: int = 64
    n_layers: int = 2
    max_len: int = 128
    attention: AttentionConfig = field(default_factory=AttentionConfig)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> "LMConfig":
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in raw.items() if k in known and k != "attention"}
        return cls(attention=AttentionConfig(**raw.get("attention", {})), **kwargs)
