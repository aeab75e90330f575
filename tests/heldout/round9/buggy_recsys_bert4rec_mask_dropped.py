"""BERT4Rec (cloze-style bidirectional sequential recommender). Histories are right-padded
in the collate function, which also returns an HF-style attention_mask (1 = real item)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader


class Bert4RecLayer(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.ln = nn.LayerNorm(d)

    def forward(self, x, attention_mask):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v)  # expect: ML504
        return self.ln(x + self.o(y.transpose(1, 2).reshape(B, L, D)))


class Bert4Rec(nn.Module):
    def __init__(self, n_items=60, d=32, max_len=8):
        super().__init__()
        self.item = nn.Embedding(n_items + 2, d)          # +[PAD]=0, +[MASK]=n_items+1
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList(Bert4RecLayer(d) for _ in range(2))
        self.out = nn.Linear(d, n_items + 2)

    def forward(self, items, attention_mask):
        x = self.item(items) + self.pos(torch.arange(items.size(1)))
        for layer in self.layers:
            x = layer(x, attention_mask)
        return self.out(x)


def collate(histories, max_len=8):
    items = torch.zeros(len(histories), max_len, dtype=torch.long)
    attention_mask = torch.zeros_like(items)
    for i, h in enumerate(histories):
        items[i, :len(h)] = torch.tensor(h)
        attention_mask[i, :len(h)] = 1
    return {"items": items, "attention_mask": attention_mask}


if __name__ == "__main__":
    torch.manual_seed(0)
    data = [[3, 7, 61], [1, 2, 3, 4, 5, 6, 61], [9, 61]]
    loader = DataLoader(data, batch_size=3, collate_fn=collate)
    model = Bert4Rec().eval()
    batch = next(iter(loader))
    with torch.no_grad():
        a = model(**batch)
        batch["items"][0, 3:] = 5                      # garbage in padded slots
        b = model(**batch)
    print("FAILURE SHOWN: predictions for user 0 depend on padded slots, diff",
          f"{(a[0, :3] - b[0, :3]).abs().max().item():.3g}")
