import math

import torch


def softmax(x, axis=-1):
    x = x - x.max(dim=axis, keepdim=True).values
    e = torch.exp(x)
    return e / e.sum(dim=axis, keepdim=True)


def apply_mask(scores, mask):
    return torch.where(mask == 0, torch.full_like(scores, -1e9), scores)


def create_causal_mask(seq_len):
    return torch.triu(torch.full((seq_len, seq_len), float("-inf")), diagonal=1)


def scaled_dot_product_attention(Q, K, V, mask=None):
    d_k = Q.shape[-1]
    scores = Q @ K.transpose(-2, -1) / math.sqrt(d_k)
    if mask is not None:
        scores = apply_mask(scores, mask)
    weights = softmax(scores, axis=-1)
    return weights @ V, weights


class MultiHeadAttention:
    def __init__(self, embed_dim, num_heads, seed=0):
        g = torch.Generator().manual_seed(seed)
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.W_q, self.W_k, self.W_v, self.W_o = (torch.randn(embed_dim, embed_dim, generator=g) / math.sqrt(embed_dim) for _ in range(4))

    def _split(self, x):
        batch, seq, _ = x.shape
        return x.reshape(batch, seq, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x, mask=None):
        batch, seq, dim = x.shape
        Q, K, V = self._split(x @ self.W_q), self._split(x @ self.W_k), self._split(x @ self.W_v)
        out, weights = scaled_dot_product_attention(Q, K, V, mask)
        return out.transpose(1, 2).reshape(batch, seq, dim) @ self.W_o, weights


class GPTBlock:
    def __init__(self, embed_dim=32, num_heads=4):
        self.attn = MultiHeadAttention(embed_dim, num_heads)

    def forward(self, x):
        seq_len = x.shape[1]
        mask = create_causal_mask(seq_len)  # BUG
        out, weights = self.attn.forward(x, mask)
        return x + out, weights


if __name__ == "__main__":
    torch.manual_seed(0)
    block = GPTBlock()
    x = torch.randn(2, 6, 32)
    _, weights = block.forward(x)
    allowed = torch.tril(torch.ones(6, 6))
    mass_allowed = (weights * allowed).sum(-1).mean().item()
    print(f"mean attention mass on allowed (past/self) positions = {mass_allowed:.3f}")
