"""KV-cache decoding with SDPA's is_causal=True: three cache styles, each with fewer queries than keys."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GPT2StyleAttention(nn.Module):
    """layer_past tuple, concatenated along the sequence (GPT-2 idiom)."""

    def __init__(self, d=64, h=4):
        super().__init__()
        self.h, self.c_attn = h, nn.Linear(d, 3 * d)

    def forward(self, x, layer_past=None):
        b, t, d = x.shape
        q, k, v = self.c_attn(x).split(d, dim=2)
        q, k, v = (z.view(b, t, self.h, d // self.h).transpose(1, 2) for z in (q, k, v))
        if layer_past is not None:
            past_key, past_value = layer_past
            k = torch.cat((past_key, k), dim=-2)
            v = torch.cat((past_value, v), dim=-2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # expect: ML405
        return y.transpose(1, 2).reshape(b, t, d), (k, v)


class LlamaStyleAttention(nn.Module):
    """Preallocated cache buffers written in place and sliced up to the current position."""

    def __init__(self, d=64, h=4, max_b=4, max_t=128):
        super().__init__()
        self.h, self.wq, self.wk, self.wv = h, nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.register_buffer("cache_k", torch.zeros(max_b, h, max_t, d // h))
        self.register_buffer("cache_v", torch.zeros(max_b, h, max_t, d // h))

    def forward(self, x, start_pos: int):
        b, t, d = x.shape
        q = self.wq(x).view(b, t, self.h, -1).transpose(1, 2)
        self.cache_k[:b, :, start_pos:start_pos + t] = self.wk(x).view(b, t, self.h, -1).transpose(1, 2)
        self.cache_v[:b, :, start_pos:start_pos + t] = self.wv(x).view(b, t, self.h, -1).transpose(1, 2)
        keys = self.cache_k[:b, :, :start_pos + t]
        values = self.cache_v[:b, :, :start_pos + t]
        out = F.scaled_dot_product_attention(q, keys, values, is_causal=True)  # expect: ML405
        return out.transpose(1, 2).reshape(b, t, d)


class HFCacheAttention(nn.Module):
    """A Hugging Face Cache object: update() returns every cached step."""

    def __init__(self, d=64, h=4, layer_idx=0):
        super().__init__()
        self.h, self.layer_idx, self.proj = h, layer_idx, nn.Linear(d, 3 * d)

    def forward(self, hidden_states, past_key_value=None):
        b, t, d = hidden_states.shape
        q, k, v = self.proj(hidden_states).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        if past_key_value is not None:
            k, v = past_key_value.update(k, v, self.layer_idx)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # expect: ML405
        return y.transpose(1, 2).reshape(b, t, d)
