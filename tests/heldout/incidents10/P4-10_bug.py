"""modeling_hunyuan.py (remote code, excerpt): eager attention.  The 4-D
causal mask is only built from a user attention_mask, so generate() without
one runs the eager path with no mask at all."""
import math

import torch
from torch import nn


class HunYuanConfig:
    hidden_size = 32
    num_attention_heads = 4
    num_hidden_layers = 2
    vocab_size = 60
    _attn_implementation = "eager"


def _prepare_4d_causal_attention_mask(attention_mask, input_shape, dtype):
    bsz, tgt_len = input_shape
    min_val = torch.finfo(dtype).min
    causal = torch.full((tgt_len, tgt_len), min_val, dtype=dtype).triu(1)[None, None]
    pad = (1.0 - attention_mask[:, None, None, :].to(dtype)) * min_val
    return (causal + pad).clamp(min=min_val)


class HunYuanAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.h = config.num_attention_heads
        self.hd = config.hidden_size // self.h
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        b, s, d = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, s, 3, self.h, self.hd).permute(2, 0, 3, 1, 4)
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.hd)
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
        attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o_proj(torch.matmul(attn_weights, v).transpose(1, 2).reshape(b, s, d))


class HunYuanModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(HunYuanAttention(config) for _ in range(config.num_hidden_layers))

    def forward(self, input_ids, attention_mask=None):
        h = self.embed_tokens(input_ids)
        if attention_mask is not None:  # BUG
            attention_mask = _prepare_4d_causal_attention_mask(attention_mask, input_ids.shape, h.dtype)  # BUG
        for layer in self.layers:
            h = h + layer(h, attention_mask=attention_mask)
        return h


if __name__ == "__main__":
    torch.manual_seed(0)
    model = HunYuanModel(HunYuanConfig())
    ids = torch.randint(0, 60, (1, 6))
    ids2 = ids.clone(); ids2[:, -1] = (ids2[:, -1] + 1) % 60
    with torch.no_grad():
        a, b = model(ids), model(ids2)  # as generate() calls it: no attention_mask
    print("prefix change when last token changes:", (a[:, :-1] - b[:, :-1]).abs().max().item())
