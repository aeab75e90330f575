from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class GPT2Config:
    n_embd: int = 768
    n_head: int = 12
    n_layer: int = 2
    add_cross_attention: bool = True
    attn_implementation: str = "sdpa"


class GPT2CrossAttention(nn.Module):
    def __init__(self, config: GPT2Config):
        super().__init__()
        self.n_head = config.n_head
        self.q_attn = nn.Linear(config.n_embd, config.n_embd)
        self.c_attn = nn.Linear(config.n_embd, 2 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)

    def forward(self, hidden_states, encoder_hidden_states, encoder_attention_mask: Optional[torch.Tensor]):
        B, T, C = hidden_states.shape
        S = encoder_hidden_states.size(1)
        q = self.q_attn(hidden_states).view(B, T, self.n_head, -1).transpose(1, 2)
        k, v = self.c_attn(encoder_hidden_states).split(C, dim=2)
        k = k.view(B, S, self.n_head, -1).transpose(1, 2)
        v = v.view(B, S, self.n_head, -1).transpose(1, 2)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=encoder_attention_mask)
        return self.c_proj(out.transpose(1, 2).reshape(B, T, C))


def invert_attention_mask(mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    return (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


class GPT2Model(nn.Module):
    def __init__(self, config: GPT2Config):
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(50257, config.n_embd)
        self.crossattention = nn.ModuleList([GPT2CrossAttention(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.n_embd)

    def forward(self, input_ids, encoder_hidden_states=None, encoder_attention_mask=None):
        hidden_states = self.wte(input_ids)
        if encoder_hidden_states is not None and encoder_attention_mask is not None:
            if self.config.attn_implementation == "sdpa":
                encoder_attention_mask = encoder_attention_mask.bool()[:, None, None, :]
            else:
                encoder_attention_mask = invert_attention_mask(encoder_attention_mask, hidden_states.dtype)
        for cross in self.crossattention:
            hidden_states = hidden_states + cross(hidden_states, encoder_hidden_states, encoder_attention_mask)
        return self.ln_f(hidden_states)


if __name__ == "__main__":
    model = GPT2Model(GPT2Config())
    ids = torch.randint(0, 50257, (2, 10))
    enc = torch.randn(2, 16, 768)
    enc_mask = torch.ones(2, 16, dtype=torch.long)
    enc_mask[1, 9:] = 0
    print(model(ids, enc, enc_mask).shape)
