from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class HunYuanConfig:
    vocab_size: int = 128000
    hidden_size: int = 512
    num_attention_heads: int = 8
    num_hidden_layers: int = 2
    attn_implementation: str = "eager"


def prepare_4d_causal_attention_mask(attention_mask: torch.Tensor, seq_len: int, dtype: torch.dtype) -> torch.Tensor:
    min_val = torch.finfo(dtype).min
    causal = torch.full((seq_len, seq_len), min_val, dtype=dtype, device=attention_mask.device).triu(1)
    pad = (1.0 - attention_mask[:, None, None, :].to(dtype)) * min_val
    return (causal[None, None] + pad).clamp(min=min_val)


class HunYuanAttention(nn.Module):
    def __init__(self, config: HunYuanConfig):
        super().__init__()
        self.h = config.num_attention_heads
        self.d = config.hidden_size // self.h
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, x: torch.Tensor, attention_mask: Optional[torch.Tensor]):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, self.d).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / self.d ** 0.5
        if attention_mask is not None:
            scores = scores + attention_mask
        probs = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o_proj((probs @ v).transpose(1, 2).reshape(B, T, C))


class HunYuanModel(nn.Module):
    def __init__(self, config: HunYuanConfig):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([HunYuanAttention(config) for _ in range(config.num_hidden_layers)])
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids: torch.Tensor, attention_mask: Optional[torch.Tensor] = None):
        h = self.embed_tokens(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        causal_mask = prepare_4d_causal_attention_mask(attention_mask, input_ids.size(1), h.dtype)
        for layer in self.layers:
            h = h + layer(h, causal_mask)
        return self.lm_head(h)


@torch.no_grad()
def greedy_generate(model: HunYuanModel, input_ids: torch.Tensor, max_new_tokens: int = 8) -> torch.Tensor:
    for _ in range(max_new_tokens):
        next_id = model(input_ids)[:, -1].argmax(-1, keepdim=True)
        input_ids = torch.cat([input_ids, next_id], dim=-1)
    return input_ids


if __name__ == "__main__":
    model = HunYuanModel(HunYuanConfig(vocab_size=1000))
    print(greedy_generate(model, torch.randint(0, 1000, (1, 5))))
