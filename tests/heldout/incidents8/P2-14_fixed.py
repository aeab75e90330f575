import math

import torch


def create_causal_mask(seq_len: int) -> torch.Tensor:
    """Causal mask for autoregressive attention."""
    return torch.tril(torch.ones(seq_len, seq_len))


def apply_mask(scores: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Positions where mask == 0 are not allowed to be attended."""
    return scores.masked_fill(mask == 0, float("-inf"))


def attention(Q, K, V, mask=None):
    d_k = Q.shape[-1]
    scores = Q @ K.transpose(-2, -1) / math.sqrt(d_k)
    if mask is not None:
        scores = apply_mask(scores, mask)
    weights = torch.softmax(scores, dim=-1)
    return weights @ V, weights


class TinyGPTBlock(torch.nn.Module):
    def __init__(self, d_model=16):
        super().__init__()
        self.q = torch.nn.Linear(d_model, d_model)
        self.k = torch.nn.Linear(d_model, d_model)
        self.v = torch.nn.Linear(d_model, d_model)

    def forward(self, x):
        mask = create_causal_mask(x.shape[1])
        out, weights = attention(self.q(x), self.k(x), self.v(x), mask=mask)
        return x + out, weights


if __name__ == "__main__":
    torch.manual_seed(0)
    block = TinyGPTBlock()
    y, w = block(torch.randn(1, 4, 16))
    print(y.shape)
    print(w[0])
