from dataclasses import dataclass


@dataclass(frozen=True)
class StoryConfig:
    vocab_size: int = 700
    n_embd: int = 64
    n_head: int = 4
    n_layer: int = 2
    block_size: int = 64
    dropout: float = 0.0
    causal: bool = True
    backend: str = "sdpa"          # "sdpa" or "torch_mha"
