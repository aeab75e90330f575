import torch


class Tensor:
    """Tiny autograd-free tensor wrapper, as used in the course's from-scratch modules."""

    def __init__(self, data):
        self.data = data if isinstance(data, torch.Tensor) else torch.tensor(data, dtype=torch.float32)

    @property
    def shape(self):
        return tuple(self.data.shape)


def apply_mask(scores, mask):
    """mask: 1 = position may be attended, 0 = blocked."""
    return Tensor(scores.data.masked_fill(mask.data == 0, -1e9))


def create_causal_mask(seq_len):
    return Tensor(torch.tril(torch.ones(seq_len, seq_len)))  # BUG


def softmax(x, dim=-1):
    shifted = x.data - x.data.max(dim=dim, keepdim=True).values
    e = shifted.exp()
    return Tensor(e / e.sum(dim=dim, keepdim=True))


def scaled_dot_product_attention(Q, K, V, mask=None):
    d_k = Q.shape[-1]
    scores = Tensor(Q.data @ K.data.transpose(-1, -2) / d_k ** 0.5)
    if mask is not None:
        scores = apply_mask(scores, mask)
    weights = softmax(scores)
    return Tensor(weights.data @ V.data), weights


class MultiHeadAttention:
    def __init__(self, embed_dim, num_heads, seed=0):
        g = torch.Generator().manual_seed(seed)
        self.num_heads, self.head_dim = num_heads, embed_dim // num_heads
        self.w = {n: Tensor(torch.randn(embed_dim, embed_dim, generator=g) / embed_dim ** 0.5) for n in "qkvo"}

    def forward(self, x, mask=None):
        b, s, e = x.shape
        split = lambda t: Tensor(t.view(b, s, self.num_heads, self.head_dim).transpose(1, 2))
        Q, K, V = (split(x.data @ self.w[n].data) for n in "qkv")
        out, weights = scaled_dot_product_attention(Q, K, V, mask)
        merged = out.data.transpose(1, 2).reshape(b, s, e)
        return Tensor(merged @ self.w["o"].data), weights


if __name__ == "__main__":
    torch.manual_seed(0)
    mha = MultiHeadAttention(embed_dim=16, num_heads=2)
    x = Tensor(torch.randn(2, 6, 16))
    mask = create_causal_mask(6)
    out, weights = mha.forward(x, mask)
    future_mass = (weights.data * torch.triu(torch.ones(6, 6), 1)).sum(-1).mean().item()
    diag = weights.data.diagonal(dim1=-2, dim2=-1).mean().item()
    print(f"mean attention mass on future keys = {future_mass:.4f}; mean self-attention weight = {diag:.4f}")
