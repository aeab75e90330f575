"""Sentence-embedding encoder (mean pooling) with SDPA self-attention.

Inputs look like a tokenizer's output: ``input_ids`` and ``attention_mask`` (int64, 1 = token).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SdpaLayer(nn.Module):
    def __init__(self, dim=256, heads=4):
        super().__init__()
        self.heads = heads
        self.wqkv = nn.Linear(dim, 3 * dim)
        self.wo = nn.Linear(dim, dim)
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, attention_mask):
        b, s, d = x.shape
        q, k, v = self.wqkv(self.n1(x)).unflatten(-1, (3, self.heads, d // self.heads)).permute(2, 0, 3, 1, 4)
        o = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attention_mask[:, None, None, :]  # expect: ML203
        )
        x = x + self.wo(o.transpose(1, 2).reshape(b, s, d))
        return x + self.ff(self.n2(x))


class SentenceEncoder(nn.Module):
    def __init__(self, vocab=30522, dim=256, heads=4, depth=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(512, dim)
        self.layers = nn.ModuleList(SdpaLayer(dim, heads) for _ in range(depth))

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids) + self.pos.weight[: input_ids.size(1)]
        for layer in self.layers:
            x = layer(x, attention_mask)
        m = attention_mask.unsqueeze(-1).type_as(x)
        return F.normalize((x * m).sum(1) / m.sum(1).clamp_min(1e-6), dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(1000, 30522, (3, 24))
    attention_mask = torch.ones(3, 24, dtype=torch.long)
    attention_mask[1, 15:] = 0
    attention_mask[2, 7:] = 0
    ids = ids * attention_mask
    model = SentenceEncoder().eval()
    try:
        with torch.no_grad():
            emb = model(ids, attention_mask)
        print("similarity\n", emb @ emb.T)
    except RuntimeError as err:
        print("encoding failed:", err)
