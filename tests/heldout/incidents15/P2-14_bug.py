import math

import torch


class Tensor:
    """Minimal TinyTorch-style tensor wrapper."""

    def __init__(self, data):
        self.data = data if isinstance(data, torch.Tensor) else torch.as_tensor(data, dtype=torch.float32)

    @property
    def shape(self):
        return self.data.shape


def softmax(x, axis=-1):
    shifted = x - x.max(dim=axis, keepdim=True).values
    e = torch.exp(shifted)
    return e / e.sum(dim=axis, keepdim=True)


def create_causal_mask(seq_len):
    """Additive causal mask: 0 on allowed positions, -inf above the diagonal."""
    return Tensor(torch.triu(torch.full((seq_len, seq_len), float("-inf")), diagonal=1))


def create_keep_mask(seq_len):
    return Tensor(torch.tril(torch.ones(seq_len, seq_len)))


def scaled_dot_product_attention(Q, K, V, mask=None):
    """mask: 1 = attend, 0 = blocked."""
    d_k = Q.shape[-1]
    scores = Q.data @ K.data.transpose(-2, -1) / math.sqrt(d_k)
    if mask is not None:
        scores = scores.masked_fill(mask.data == 0, -1e9)
    weights = softmax(scores, axis=-1)
    return Tensor(weights @ V.data), Tensor(weights)


class MultiHeadAttention:
    def __init__(self, embed_dim, num_heads, seed=0):
        g = torch.Generator().manual_seed(seed)
        self.num_heads, self.head_dim = num_heads, embed_dim // num_heads
        self.w_q, self.w_k, self.w_v = (torch.randn(embed_dim, embed_dim, generator=g) * 0.3 for _ in range(3))

    def forward(self, x, mask=None):
        b, t, e = x.shape
        split = lambda w: Tensor((x.data @ w).view(b, t, self.num_heads, self.head_dim).transpose(1, 2))
        out, weights = scaled_dot_product_attention(split(self.w_q), split(self.w_k), split(self.w_v), mask)
        self.last_weights = weights
        return Tensor(out.data.transpose(1, 2).reshape(b, t, e))


class GPTBlock:
    def __init__(self, embed_dim=16, num_heads=2):
        self.attn = MultiHeadAttention(embed_dim, num_heads)

    def forward(self, x):
        mask = create_causal_mask(x.shape[1])  # BUG
        return Tensor(x.data + self.attn.forward(x, mask).data)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = GPTBlock()
    x = Tensor(torch.randn(2, 5, 16))
    block.forward(x)
    w = block.attn.last_weights.data
    allowed = torch.tril(torch.ones(5, 5, dtype=torch.bool))
    print(f"attention mass on allowed (past/current) positions per query: {w[..., allowed].sum().item() / w[..., 0].numel():.4f}")
