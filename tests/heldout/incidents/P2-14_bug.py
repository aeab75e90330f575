import math

import torch
import torch.nn as nn

MASK_VALUE = -1e9  # large negative value used to block attention


def _apply_mask(scores, mask):
    """Apply a binary mask (1 = allow, 0 = block) to attention scores."""
    return scores + (1 - mask) * MASK_VALUE


def scaled_dot_product_attention(Q, K, V, mask=None):
    d_k = Q.shape[-1]
    scores = Q @ K.transpose(-2, -1) / math.sqrt(d_k)
    if mask is not None:
        scores = _apply_mask(scores, mask)
    weights = torch.softmax(scores, dim=-1)
    return weights @ V, weights


class MultiHeadAttention(nn.Module):
    def __init__(self, embed_dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, x, mask=None):
        B, T, _ = x.shape
        split = lambda t: t.view(B, T, self.num_heads, self.head_dim).transpose(1, 2)
        out, _ = scaled_dot_product_attention(split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x)), mask)  # BUG: additive mask given to a 1/0 mask API
        return self.out_proj(out.transpose(1, 2).reshape(B, T, -1))


class GPT(nn.Module):
    def __init__(self, vocab_size, embed_dim=8, num_heads=2, max_seq_len=16):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, embed_dim)
        self.position_embedding = nn.Embedding(max_seq_len, embed_dim)
        self.attn = MultiHeadAttention(embed_dim, num_heads)
        self.ln = nn.LayerNorm(embed_dim)
        self.lm_head = nn.Linear(embed_dim, vocab_size)

    def _create_causal_mask(self, seq_len):
        return torch.triu(torch.full((seq_len, seq_len), float("-inf")), diagonal=1)  # BUG: -inf/0 additive convention

    def forward(self, tokens):
        T = tokens.shape[1]
        x = self.token_embedding(tokens) + self.position_embedding(torch.arange(T))
        x = x + self.attn(self.ln(x), mask=self._create_causal_mask(T))
        return self.lm_head(x)


def run():
    model = GPT(vocab_size=13)
    tokens = torch.randint(0, 13, (2, 5))
    return model(tokens)
