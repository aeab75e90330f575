"""Llama-style (transformers 4.38) attention dispatch: the mask the model builds depends on the
implementation; each attention class reads the mask its implementation gets."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    hidden_size: int = 64
    num_heads: int = 4
    vocab_size: int = 100
    num_layers: int = 2
    attn_implementation: str = "sdpa"


class EagerAttention(nn.Module):
    """attention_mask: (B, 1, L, S) additive float (0 / finfo.min)."""

    def __init__(self, config):
        super().__init__()
        self.h = config.num_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.o = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, hidden_states, attention_mask=None):
        B, L, D = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        w = torch.matmul(q, k.transpose(2, 3)) / (D // self.h) ** 0.5
        if attention_mask is not None:
            w = w + attention_mask[:, :, :, : k.shape[-2]]
        w = F.softmax(w, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o((w @ v).transpose(1, 2).reshape(B, L, D))


class SdpaAttention(EagerAttention):
    def forward(self, hidden_states, attention_mask=None):
        B, L, D = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask,
                                             is_causal=attention_mask is None and L > 1)
        return self.o(out.transpose(1, 2).reshape(B, L, D))


class PaddingFreeAttention(EagerAttention):
    """attention_mask: (B, S) int, 1 = real token (what flash-attn's varlen path takes)."""

    def forward(self, hidden_states, attention_mask=None):
        B, L, D = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        keep = torch.ones(L, L, dtype=torch.bool, device=q.device).tril()
        if attention_mask is not None:
            keep = keep[None] & attention_mask.bool()[:, None, :]
            keep = keep[:, None]
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return self.o(out.transpose(1, 2).reshape(B, L, D))


ATTENTION_CLASSES = {"eager": EagerAttention, "sdpa": SdpaAttention, "varlen": PaddingFreeAttention}


class DecoderLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.self_attn = ATTENTION_CLASSES[config.attn_implementation](config)
        self.mlp = nn.Sequential(nn.Linear(config.hidden_size, 4 * config.hidden_size), nn.SiLU(),
                                 nn.Linear(4 * config.hidden_size, config.hidden_size))

    def forward(self, x, attention_mask=None):
        x = x + self.self_attn(x, attention_mask=attention_mask)
        return x + self.mlp(x)


class CausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([DecoderLayer(config) for _ in range(config.num_layers)])
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size)

    def _update_causal_mask(self, attention_mask, x):
        if self.config.attn_implementation == "varlen":
            return attention_mask  # 2-D, 1 = real token
        B, L = x.shape[:2]
        min_val = torch.finfo(x.dtype).min
        causal = torch.full((L, L), min_val, dtype=x.dtype, device=x.device).triu(1)
        causal = causal[None, None].expand(B, 1, L, L).clone()
        if attention_mask is not None:
            pad = attention_mask[:, None, None, :] == 0
            causal = causal.masked_fill(pad, min_val)
        return causal

    def forward(self, input_ids, attention_mask=None):
        x = self.embed(input_ids)
        mask = self._update_causal_mask(attention_mask, x)
        for layer in self.layers:
            x = layer(x, attention_mask=mask)
        return self.lm_head(x)


if __name__ == "__main__":
    ids = torch.randint(0, 100, (2, 5))
    am = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]])
    outs = []
    for impl in ("eager", "sdpa", "varlen"):
        torch.manual_seed(0)
        outs.append(CausalLM(Config(attn_implementation=impl))(ids, am))
    print([torch.allclose(outs[0][:, :4], o[:, :4], atol=1e-5) for o in outs])
