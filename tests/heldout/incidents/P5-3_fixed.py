from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


def create_bidirectional_mask(input_embeds, attention_mask: Optional[torch.Tensor], encoder_hidden_states=None):
    """Boolean (batch, 1, q_len, kv_len) mask for sdpa or None when nothing needs masking."""
    if attention_mask is None or bool(attention_mask.all()):
        return None
    q_len = input_embeds.shape[1]
    return attention_mask.bool()[:, None, None, :].expand(-1, 1, q_len, -1)


class GPT2CrossAttention(nn.Module):
    def __init__(self, embed_dim=8, num_heads=2):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, embed_dim // num_heads
        self.q_attn = nn.Linear(embed_dim, embed_dim)
        self.c_attn = nn.Linear(embed_dim, 2 * embed_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, hidden_states, encoder_hidden_states, encoder_attention_mask=None):
        b, t, d = hidden_states.shape
        s = encoder_hidden_states.shape[1]
        q = self.q_attn(hidden_states).view(b, t, self.num_heads, self.head_dim).transpose(1, 2)
        k, v = self.c_attn(encoder_hidden_states).view(b, s, 2, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=encoder_attention_mask)
        return self.c_proj(out.transpose(1, 2).reshape(b, t, d))


class GPT2Model(nn.Module):
    def __init__(self, vocab_size=29, embed_dim=8, num_heads=2, n_positions=32):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, embed_dim)
        self.wpe = nn.Embedding(n_positions, embed_dim)
        self.self_attn = nn.MultiheadAttention(embed_dim, num_heads, batch_first=True)
        self.crossattention = GPT2CrossAttention(embed_dim, num_heads)
        self.ln_f = nn.LayerNorm(embed_dim)

    def forward(self, input_ids, encoder_hidden_states=None, encoder_attention_mask=None):
        t = input_ids.shape[1]
        hidden_states = self.wte(input_ids) + self.wpe(torch.arange(t, device=input_ids.device))
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool, device=input_ids.device), diagonal=1)
        hidden_states = hidden_states + self.self_attn(hidden_states, hidden_states, hidden_states, attn_mask=causal)[0]
        if encoder_hidden_states is not None:
            encoder_attention_mask = create_bidirectional_mask(hidden_states, encoder_attention_mask, encoder_hidden_states)
            hidden_states = hidden_states + self.crossattention(hidden_states, encoder_hidden_states, encoder_attention_mask)
        return self.ln_f(hidden_states)


def run():
    model = GPT2Model()
    input_ids = torch.randint(0, 29, (2, 5))
    encoder_hidden_states = torch.randn(2, 6, 8)
    encoder_attention_mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]])
    return model(input_ids, encoder_hidden_states=encoder_hidden_states, encoder_attention_mask=encoder_attention_mask)
