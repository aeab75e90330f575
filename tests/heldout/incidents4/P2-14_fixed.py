import numpy as np


class Tensor:
    def __init__(self, data):
        self.data = np.asarray(data, dtype=np.float32)

    @property
    def shape(self):
        return self.data.shape


def softmax(x, axis=-1):
    x = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(x)
    return e / np.sum(e, axis=axis, keepdims=True)


def apply_mask(scores, mask, fill_value=-1e9):
    return np.where(mask == 0, fill_value, scores)


def scaled_dot_product_attention(q, k, v, mask=None):
    d_k = q.shape[-1]
    scores = q.data @ np.swapaxes(k.data, -1, -2) / np.sqrt(d_k)
    if mask is not None:
        scores = apply_mask(scores, mask)
    weights = softmax(scores, axis=-1)
    return Tensor(weights @ v.data), weights


def create_causal_mask(seq_len):
    return np.tril(np.ones((seq_len, seq_len), dtype=np.float32))


class Linear:
    def __init__(self, in_features, out_features, rng):
        self.weight = rng.standard_normal((in_features, out_features)).astype(np.float32) / np.sqrt(in_features)

    def __call__(self, x):
        return Tensor(x.data @ self.weight)


class MultiHeadAttention:
    def __init__(self, embed_dim, num_heads, seed=0):
        rng = np.random.default_rng(seed)
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.q_proj, self.k_proj, self.v_proj, self.out_proj = (Linear(embed_dim, embed_dim, rng) for _ in range(4))

    def _split(self, x):
        b, n, _ = x.shape
        return Tensor(x.data.reshape(b, n, self.num_heads, self.head_dim).transpose(0, 2, 1, 3))

    def forward(self, x, mask=None):
        b, n, d = x.shape
        q, k, v = (self._split(p(x)) for p in (self.q_proj, self.k_proj, self.v_proj))
        out, _ = scaled_dot_product_attention(q, k, v, mask=mask)
        return self.out_proj(Tensor(out.data.transpose(0, 2, 1, 3).reshape(b, n, d)))


class GPTBlock:
    def __init__(self, embed_dim, num_heads):
        self.attn = MultiHeadAttention(embed_dim, num_heads)

    def forward(self, x):
        mask = create_causal_mask(x.shape[1])
        return Tensor(x.data + self.attn.forward(x, mask=mask).data)
