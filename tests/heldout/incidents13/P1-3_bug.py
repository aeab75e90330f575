from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class Llama4TextConfig:
    hidden_size: int = 48
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    vocab_size: int = 97
    attn_implementation: str = "sdpa"


def build_causal_mask(attention_mask, seq_len, dtype):
    min_dtype = torch.finfo(dtype).min
    causal = torch.full((seq_len, seq_len), min_dtype, dtype=dtype).triu(1)
    causal = causal[None, None].expand(attention_mask.shape[0], 1, -1, -1).clone()
    padding = attention_mask[:, None, None, :] == 0
    return causal.masked_fill(padding, min_dtype)


def repeat_kv(hidden, n_rep):
    if n_rep == 1:
        return hidden
    b, h, s, d = hidden.shape
    return hidden[:, :, None].expand(b, h, n_rep, s, d).reshape(b, h * n_rep, s, d)


def sdpa_attention_forward(module, query, key, value, attention_mask, scaling):
    key = repeat_kv(key, module.num_key_value_groups)
    value = repeat_kv(value, module.num_key_value_groups)
    if attention_mask is not None and attention_mask.dtype != torch.bool:
        attention_mask = attention_mask.bool()  # BUG
    out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, scale=scaling)
    return out.transpose(1, 2).contiguous()


class Llama4TextAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.num_heads = config.num_attention_heads
        self.num_kv = config.num_key_value_heads
        self.num_key_value_groups = self.num_heads // self.num_kv
        self.scaling = self.head_dim ** -0.5
        self.q_proj = nn.Linear(config.hidden_size, self.num_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, self.num_kv * self.head_dim, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, self.num_kv * self.head_dim, bias=False)
        self.o_proj = nn.Linear(self.num_heads * self.head_dim, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        b, s, _ = hidden_states.shape
        q = self.q_proj(hidden_states).view(b, s, -1, self.head_dim).transpose(1, 2)
        k = self.k_proj(hidden_states).view(b, s, -1, self.head_dim).transpose(1, 2)
        v = self.v_proj(hidden_states).view(b, s, -1, self.head_dim).transpose(1, 2)
        out = sdpa_attention_forward(self, q, k, v, attention_mask, self.scaling)
        return self.o_proj(out.reshape(b, s, -1))


class Llama4TextModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([Llama4TextAttention(config) for _ in range(2)])
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        h = self.embed_tokens(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        causal_mask = build_causal_mask(attention_mask, input_ids.shape[1], h.dtype)
        for layer in self.layers:
            h = h + layer(h, causal_mask)
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Llama4TextModel(Llama4TextConfig()).eval()
    ids = torch.randint(0, 97, (2, 9))
    with torch.no_grad():
        base = model(ids)
        changed = ids.clone()
        changed[:, 4:] = (changed[:, 4:] + 7) % 97
        leak = (model(changed)[:, :4] - base[:, :4]).abs().max().item()
    print(f"future leak: max |d logits[:, :4]| after editing tokens 4.. = {leak:.4f}")
