"""Retrieval passage encoder with a learned relative bias; padding handled with torch.where."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ClippedRelativeBias(nn.Module):
    def __init__(self, heads, max_distance=8):
        super().__init__()
        self.max_distance = max_distance
        self.table = nn.Embedding(2 * max_distance + 1, heads)

    def forward(self, n):
        pos = torch.arange(n, device=self.table.weight.device)
        rel = (pos[None, :] - pos[:, None]).clamp(-self.max_distance, self.max_distance) + self.max_distance
        return self.table(rel).permute(2, 0, 1)


class PassageAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, rel_bias, keep):
        b, n, d = x.shape
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(b, n, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        logits = q @ k.transpose(-2, -1) * q.size(-1) ** -0.5
        logits = logits + torch.where(keep[:, None, None, :], rel_bias, torch.finfo(logits.dtype).min)
        out = logits.softmax(-1) @ v
        return self.proj(out.transpose(1, 2).reshape(b, n, d))


class PassageEncoder(nn.Module):
    def __init__(self, vocab=1000, dim=32, heads=4, depth=2, pad_token_id=1):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.embed = nn.Embedding(vocab, dim)
        self.rel = ClippedRelativeBias(heads)
        self.layers = nn.ModuleList(PassageAttention(dim, heads) for _ in range(depth))

    def forward(self, input_ids):
        keep = input_ids.ne(self.pad_token_id)
        x = self.embed(input_ids)
        bias = self.rel(input_ids.size(1))
        for layer in self.layers:
            x = x + layer(x, bias, keep)
        pooled = (x * keep[..., None]).sum(1) / keep.sum(1, keepdim=True)
        return F.normalize(pooled, dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = PassageEncoder()
    ids = torch.randint(2, 1000, (2, 10))
    ids[0, 6:] = 1
    e1 = enc(ids)
    ids2 = ids.clone()
    ids2[0, 6:] = 1
    ids2 = torch.cat([ids2, torch.ones(2, 3, dtype=torch.long)], 1)
    print("pad-invariant", torch.allclose(e1, enc(ids2), atol=1e-5))
