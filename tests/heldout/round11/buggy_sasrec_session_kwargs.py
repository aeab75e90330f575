"""Self-attentive sequential recommender (SASRec-style) over item-id sessions."""
import torch
from torch import nn


class ItemBlock(nn.Module):
    def __init__(self, dim, heads, p):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, dropout=p, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Dropout(p), nn.Linear(dim, dim))
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)

    def forward(self, x, **attn_kwargs):
        q = self.n1(x)
        a, _ = self.attn(q, x, x, need_weights=False, **attn_kwargs)  # expect: ML101
        x = x + a
        return x + self.ff(self.n2(x))


class SASRec(nn.Module):
    def __init__(self, n_items, dim=64, heads=2, blocks=2, max_len=50, p=0.2):
        super().__init__()
        self.item_emb = nn.Embedding(n_items + 1, dim, padding_idx=0)
        self.pos_emb = nn.Embedding(max_len, dim)
        self.blocks = nn.ModuleList(ItemBlock(dim, heads, p) for _ in range(blocks))
        self.norm = nn.LayerNorm(dim)

    def forward(self, batch):
        seq = batch["item_ids"]
        L = seq.size(1)
        x = self.item_emb(seq) + self.pos_emb(torch.arange(L, device=seq.device))
        future = torch.ones(L, L, dtype=torch.bool, device=seq.device).triu(1)
        kw = {"attn_mask": future, "key_padding_mask": batch["attention_mask"].bool()}
        for blk in self.blocks:
            x = blk(x, **kw)
        return self.norm(x)

    def score(self, batch, candidates):
        h = self.forward(batch)[:, -1]
        return (self.item_emb(candidates) * h.unsqueeze(1)).sum(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SASRec(n_items=500)
    ids = torch.randint(1, 501, (4, 50))
    ids[:2, :20] = 0
    batch = {"item_ids": ids, "attention_mask": (ids != 0).long()}
    cands = torch.randint(1, 501, (4, 100))
    print(model.score(batch, cands).shape)
