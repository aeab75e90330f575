"""ML systems book, attention chapter (NumPy analog).  `apply_mask` expects a
1/0 keep mask; the causal helper returns an additive 0/-inf mask, and the
two were wired together."""
import numpy as np


def softmax(x, axis=-1):
    x = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


def causal_additive_mask(n):
    """0 where attention is allowed, -inf above the diagonal."""
    return np.triu(np.full((n, n), -np.inf), k=1)


def causal_keep_mask(n):
    """1 where attention is allowed, 0 above the diagonal."""
    return np.tril(np.ones((n, n)))


def apply_mask(scores, mask):
    """mask: 1 = keep, 0 = block."""
    return np.where(mask == 0, -np.inf, scores)


def attention(Q, K, V, mask):
    scores = Q @ K.T / np.sqrt(Q.shape[-1])
    scores = apply_mask(scores, mask)
    return softmax(scores) @ V


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    n, d = 5, 8
    Q, K, V = (rng.standard_normal((n, d)) for _ in range(3))
    with np.errstate(invalid="ignore"):
        mask = causal_additive_mask(n)  # BUG
        out = attention(Q, K, V, mask)
    print("NaN rows:", int(np.isnan(out).any(-1).sum()), "of", n)
