"""Encoder with a hand-written masked softmax, trained with mixed precision (autocast)."""
import torch
import torch.nn as nn


def masked_softmax(scores: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """mask: 1 for positions to keep, 0 for positions to drop (broadcastable to scores)."""
    scores = scores.masked_fill(mask == 0, -1e10)  # BUG: -1e10 overflows float16 scores under autocast (RuntimeError: value cannot be converted to type Half)
    return torch.softmax(scores, dim=-1)


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.proj = nn.Linear(hidden, hidden)

    def forward(self, x, mask):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = torch.matmul(q, k.transpose(-1, -2)) / (d // self.heads) ** 0.5
        probs = masked_softmax(scores, mask[:, None, None, :])
        ctx = torch.matmul(probs.to(v.dtype), v).transpose(1, 2).reshape(b, n, d)
        return self.proj(ctx)


class Encoder(nn.Module):
    def __init__(self, vocab=50, hidden=32, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.blocks = nn.ModuleList([MultiHeadSelfAttention(hidden) for _ in range(layers)])
        self.norms = nn.ModuleList([nn.LayerNorm(hidden) for _ in range(layers)])
        self.cls = nn.Linear(hidden, 2)

    def forward(self, ids, mask):
        h = self.emb(ids)
        for blk, norm in zip(self.blocks, self.norms):
            h = norm(h + blk(h, mask))
        return self.cls(h[:, 0])


def amp_train_step(model, ids, mask, labels, optimizer, device_type="cpu", amp_dtype=torch.float16):
    model.train()
    with torch.autocast(device_type=device_type, dtype=amp_dtype):
        logits = model(ids, mask)
        loss = nn.functional.cross_entropy(logits.float(), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
