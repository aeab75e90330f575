from dataclasses import dataclass


@dataclass
class LMConfig:
    vocab_size: int = 25
    d_model: int = 64
    n_heads: int = 4
    n_layers: int = 2
    causal: bool = True
