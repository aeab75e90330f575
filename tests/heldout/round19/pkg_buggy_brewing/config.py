from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class FermentConfig:
    n_inputs: int = 4          # gravity, temperature, ambient temp, hours since pitch
    d_model: int = 64
    n_heads: int = 4
    n_layers: int = 2
    max_hours: int = 400
    attention_backend: Literal["sdpa", "manual"] = "sdpa"
