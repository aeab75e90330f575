"""Module 13 - a tiny GPT built on the attention primitives of module 12."""
import math

import torch
from torch import nn

MASK_VALUE = -1e9


# ---- from module 12 (attention) --------------------------------------------
def _apply_mask(scores, mask):
    """mask: 1 = allowed, 0 = blocked (same shape as the last two dims of scores)."""
    return scores + (1 - mask) * MASK_VALUE


def scaled_dot_product_attention(Q, K, V, mask=None):
    scores = Q @ K.transpose(-1, -2) / math.sqrt(Q.shape[-1])
    if mask is not None:
        scores = _apply_mask(scores, mask)
    weights = torch.softmax(scores, dim=-1)
    return weights @ V, weights


# ---- module 13 (transformers) ----------------------------------------------
class GPT(nn.Module):
    def __init__(self, vocab_size=50, embed_dim=16, max_seq_len=16):
        super().__init__()
        self.token_emb = nn.Embedding(vocab_size, embed_dim)
        self.pos_emb = nn.Embedding(max_seq_len, embed_dim)
        self.q, self.k, self.v = (nn.Linear(embed_dim, embed_dim) for _ in range(3))
        self.lm_head = nn.Linear(embed_dim, vocab_size)

    def _create_causal_mask(self, seq_len):
        mask = torch.triu(torch.ones(seq_len, seq_len), diagonal=1) * float("-inf")  # BUG
        return torch.nan_to_num(mask, nan=0.0)  # BUG

    def forward(self, tokens):
        seq_len = tokens.shape[1]
        x = self.token_emb(tokens) + self.pos_emb(torch.arange(seq_len))
        mask = self._create_causal_mask(seq_len)
        out, weights = scaled_dot_product_attention(self.q(x), self.k(x), self.v(x), mask)
        return self.lm_head(x + out), weights


if __name__ == "__main__":
    torch.manual_seed(0)
    gpt = GPT()
    tokens = torch.randint(0, 50, (1, 5))
    logits, weights = gpt(tokens)
    print(logits.shape)
    print("attention row 3:", [round(w, 3) for w in weights[0, 3].tolist()])
