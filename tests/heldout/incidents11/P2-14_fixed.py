import math

import torch


class Tensor:
    """Minimal educational tensor wrapper around torch, as in a from-scratch course framework."""

    def __init__(self, data):
        self.data = data if isinstance(data, torch.Tensor) else torch.as_tensor(data, dtype=torch.float32)

    @property
    def shape(self):
        return tuple(self.data.shape)

    def __matmul__(self, other):
        return Tensor(self.data @ other.data)


def apply_mask(scores: Tensor, mask: Tensor) -> Tensor:
    """mask: 1 where attention is allowed, 0 where it is not."""
    return Tensor(scores.data.masked_fill(mask.data == 0, -1e9))


def softmax(x: Tensor, axis=-1) -> Tensor:
    shifted = x.data - x.data.max(dim=axis, keepdim=True).values
    e = shifted.exp()
    return Tensor(e / e.sum(dim=axis, keepdim=True))


def scaled_dot_product_attention(Q: Tensor, K: Tensor, V: Tensor, mask: Tensor = None):
    d_k = Q.shape[-1]
    scores = Tensor((Q.data @ K.data.transpose(-2, -1)) / math.sqrt(d_k))
    if mask is not None:
        scores = apply_mask(scores, mask)
    weights = softmax(scores, axis=-1)
    return weights @ V, weights


def create_causal_mask(seq_len: int) -> Tensor:
    return Tensor(torch.tril(torch.ones(seq_len, seq_len)))


class MultiHeadAttention:
    def __init__(self, embed_dim, num_heads, seed=0):
        g = torch.Generator().manual_seed(seed)
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.w_q = Tensor(torch.randn(embed_dim, embed_dim, generator=g) / math.sqrt(embed_dim))
        self.w_k = Tensor(torch.randn(embed_dim, embed_dim, generator=g) / math.sqrt(embed_dim))
        self.w_v = Tensor(torch.randn(embed_dim, embed_dim, generator=g) / math.sqrt(embed_dim))

    def _split(self, x: Tensor) -> Tensor:
        b, n, _ = x.shape
        return Tensor(x.data.view(b, n, self.num_heads, self.head_dim).transpose(1, 2))

    def forward(self, x: Tensor, mask: Tensor = None) -> Tensor:
        Q, K, V = self._split(x @ self.w_q), self._split(x @ self.w_k), self._split(x @ self.w_v)
        out, _ = scaled_dot_product_attention(Q, K, V, mask)
        b, h, n, d = out.shape
        return Tensor(out.data.transpose(1, 2).reshape(b, n, h * d))


if __name__ == "__main__":
    torch.manual_seed(0)
    mha = MultiHeadAttention(embed_dim=16, num_heads=2)
    x = Tensor(torch.randn(1, 6, 16))
    x2 = Tensor(x.data.clone())
    x2.data[:, -1] += 3.0
    mask = create_causal_mask(6)
    a = mha.forward(x, mask).data
    b = mha.forward(x2, mask).data
    print(f"prefix change when last token changes: {(a[:, :-1] - b[:, :-1]).abs().max().item():.3e}")
