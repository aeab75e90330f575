from dataclasses import dataclass


@dataclass
class ModelConfig:
    vocab_size: int = 25
    d_model: int = 64
    n_heads: int = 4
    n_layers: int = 2
    max_len: int = 256
    dropout: float = 0.1
    causal: bool = False
