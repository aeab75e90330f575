"""Speculative decoding: a tiny draft LM proposes k tokens that a large target model verifies.
This is the draft model's training-time forward (teacher forcing on full sequences)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DraftBlock(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.h = heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.proj = nn.Linear(d, d, bias=False)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(D, dim=-1)
        q, k, v = (t.view(B, T, self.h, D // self.h).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=0.0)  # expect: ML401
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, D))
        return x + self.mlp(self.ln2(x))


class DraftLM(nn.Module):
    def __init__(self, vocab=128, d=32, n_layer=2, ctx=32):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(ctx, d)
        self.blocks = nn.Sequential(*[DraftBlock(d) for _ in range(n_layer)])
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, idx, targets=None):
        x = self.wte(idx) + self.wpe(torch.arange(idx.size(1)))
        logits = self.lm_head(self.blocks(x))
        if targets is None:
            return logits
        return logits, F.cross_entropy(logits.flatten(0, 1), targets.flatten())


if __name__ == "__main__":
    torch.manual_seed(0)
    draft = DraftLM()
    idx = torch.randint(0, 128, (2, 10))
    _, loss = draft(idx[:, :-1], idx[:, 1:])
    a = draft(idx)
    idx2 = idx.clone()
    idx2[:, -1] = (idx2[:, -1] + 1) % 128
    b = draft(idx2)
    print("FAILURE SHOWN: position 0 sees the future token, diff",
          f"{(a[:, 0] - b[:, 0]).abs().max().item():.3g}")
