"""GPT-2 decoder with cross-attention (encoder-decoder use), attention-interface style."""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


def sdpa_attention_forward(query, key, value, attention_mask, is_causal):
    if attention_mask is not None:
        is_causal = False
    return F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, is_causal=is_causal)


class GPT2Attention(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4, is_cross_attention=False):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.is_cross_attention = is_cross_attention
        self.q_attn = nn.Linear(embed_dim, embed_dim)
        self.kv_attn = nn.Linear(embed_dim, 2 * embed_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)

    def _split(self, x):
        return x.view(*x.shape[:2], self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, hidden_states, encoder_hidden_states=None, attention_mask=None):
        source = encoder_hidden_states if self.is_cross_attention else hidden_states
        q = self._split(self.q_attn(hidden_states))
        k, v = map(self._split, self.kv_attn(source).chunk(2, dim=-1))
        out = sdpa_attention_forward(q, k, v, attention_mask, is_causal=not self.is_cross_attention)
        return self.c_proj(out.transpose(1, 2).reshape(hidden_states.shape))


class GPT2Block(nn.Module):
    def __init__(self, embed_dim=32):
        super().__init__()
        self.ln_1, self.ln_cross, self.ln_2 = (nn.LayerNorm(embed_dim) for _ in range(3))
        self.attn = GPT2Attention(embed_dim)
        self.crossattention = GPT2Attention(embed_dim, is_cross_attention=True)
        self.mlp = nn.Sequential(nn.Linear(embed_dim, 4 * embed_dim), nn.GELU(), nn.Linear(4 * embed_dim, embed_dim))

    def forward(self, hidden_states, encoder_hidden_states, attention_mask=None, encoder_attention_mask=None):
        hidden_states = hidden_states + self.attn(self.ln_1(hidden_states), attention_mask=attention_mask)
        hidden_states = hidden_states + self.crossattention(
            self.ln_cross(hidden_states), encoder_hidden_states, attention_mask=encoder_attention_mask)
        return hidden_states + self.mlp(self.ln_2(hidden_states))


class GPT2Model(nn.Module):
    def __init__(self, vocab_size=50, embed_dim=32, n_layer=2, n_positions=32):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, embed_dim)
        self.wpe = nn.Embedding(n_positions, embed_dim)
        self.h = nn.ModuleList([GPT2Block(embed_dim) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(embed_dim)

    def forward(self, input_ids, encoder_hidden_states, encoder_attention_mask: Optional[torch.Tensor] = None):
        seq_len = input_ids.shape[1]
        hidden_states = self.wte(input_ids) + self.wpe(torch.arange(seq_len))
        causal_mask = torch.ones(seq_len, seq_len, dtype=torch.bool).tril()[None, None]
        if encoder_attention_mask is not None:
            encoder_attention_mask = encoder_attention_mask.bool()[:, None, None, :]
        encoder_attention_mask = None  # BUG: leftover of the mask refactor: the encoder padding mask built above is dropped, cross-attention attends to encoder pads
        for block in self.h:
            hidden_states = block(hidden_states, encoder_hidden_states, causal_mask, encoder_attention_mask)
        return self.ln_f(hidden_states)
