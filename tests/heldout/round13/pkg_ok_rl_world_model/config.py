from dataclasses import dataclass, field

import torch


@dataclass
class WorldModelConfig:
    n_obs_tokens: int = 512
    n_actions: int = 18
    dim: int = 128
    n_heads: int = 8
    n_kv_heads: int = 2
    depth: int = 3
    max_tokens: int = 340
    attn_bias: torch.Tensor = field(init=False, repr=False)

    def __post_init__(self):
        # additive bias for SDPA: 0 where a token may attend, -inf strictly in the future
        self.attn_bias = torch.full((self.max_tokens, self.max_tokens), float("-inf")).triu(1)
