"""Chapter lab: building attention from scratch.

Part 1 implements masked attention with a *keep* mask (1 = may attend, 0 = blocked).
Part 2 reuses it for a causal language model.
"""
import math

import torch


def apply_mask(scores: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Blocked positions (mask == 0) get -inf so softmax gives them zero weight."""
    return scores.masked_fill(mask == 0, float("-inf"))


def attention(q, k, v, mask=None):
    d_k = q.shape[-1]
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)
    if mask is not None:
        scores = apply_mask(scores, mask)
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


def create_causal_mask(seq_len: int) -> torch.Tensor:
    """Additive causal mask: 0 on the allowed positions, -inf on the future."""
    return torch.triu(torch.full((seq_len, seq_len), float("-inf")), diagonal=1)


class TinyCausalLM(torch.nn.Module):
    def __init__(self, vocab=30, d_model=16):
        super().__init__()
        self.emb = torch.nn.Embedding(vocab, d_model)
        self.wq = torch.nn.Linear(d_model, d_model)
        self.wk = torch.nn.Linear(d_model, d_model)
        self.wv = torch.nn.Linear(d_model, d_model)
        self.out = torch.nn.Linear(d_model, vocab)

    def forward(self, tokens):
        x = self.emb(tokens)
        mask = torch.tril(torch.ones(tokens.shape[1], tokens.shape[1]))
        ctx, weights = attention(self.wq(x), self.wk(x), self.wv(x), mask=mask)
        return self.out(x + ctx), weights


if __name__ == "__main__":
    torch.manual_seed(42)
    model = TinyCausalLM()
    tokens = torch.randint(0, 30, (2, 6))
    logits, weights = model(tokens)
    print("attention weights of sequence 0:\n", weights[0])
