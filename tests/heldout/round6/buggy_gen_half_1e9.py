"""Batched sampling from a half-precision model with an additive padding bias."""
import torch
import torch.nn as nn


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, bias):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)) * (C // self.heads) ** -0.5 + bias
        return self.proj((att.softmax(-1) @ v).transpose(1, 2).reshape(B, T, C))


class LM(nn.Module):
    def __init__(self, vocab=64, dim=32, heads=4):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.attn = Attention(dim, heads)
        self.out = nn.Linear(dim, vocab)

    def forward(self, ids, attention_mask):
        T = ids.size(1)
        dtype = self.tok.weight.dtype
        pad_bias = (1.0 - attention_mask[:, None, None, :].to(dtype)) * -1e9  # expect: ML205
        causal = torch.full((T, T), float("-inf"), dtype=dtype, device=ids.device).triu(1)
        return self.out(self.attn(self.tok(ids), pad_bias + causal))


@torch.no_grad()
def sample(model, ids, attention_mask, n=4, temperature=1.0):
    for _ in range(n):
        logits = model(ids, attention_mask)[:, -1] / temperature
        nxt = torch.multinomial(logits.float().softmax(-1), 1)
        ids = torch.cat([ids, nxt], dim=1)
        attention_mask = torch.cat([attention_mask, attention_mask.new_ones(ids.size(0), 1)], dim=1)
    return ids


if __name__ == "__main__":
    lm = LM().half()
    ids = torch.tensor([[0, 0, 3, 4], [5, 6, 7, 8]])
    am = torch.tensor([[0, 0, 1, 1], [1, 1, 1, 1]])
    logits = lm(ids, am)
    print("NaN logits in half precision:", torch.isnan(logits).any().item())
