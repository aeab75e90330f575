"""Next-item prediction for e-commerce sessions with nn.MultiheadAttention (right-padded sessions)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SessionEncoder(nn.Module):
    def __init__(self, n_items, dim=64, heads=4, layers=2, max_len=30, dropout=0.1):
        super().__init__()
        self.heads = heads
        self.item = nn.Embedding(n_items + 1, dim, padding_idx=0)
        self.pos = nn.Embedding(max_len, dim)
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True) for _ in range(layers))
        self.norm1 = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.norm2 = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.ffn = nn.ModuleList(
            nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Dropout(dropout), nn.Linear(2 * dim, dim))
            for _ in range(layers))

    def attention_mask(self, items):
        B, L = items.shape
        future = torch.triu(torch.ones(L, L, dtype=torch.bool, device=items.device), diagonal=1)
        is_pad = items == 0
        blocked = torch.logical_or(future.unsqueeze(0), is_pad.unsqueeze(1))
        eye = torch.eye(L, dtype=torch.bool, device=items.device)
        blocked = blocked & ~eye                      # every position may always read itself
        return blocked.repeat_interleave(self.heads, dim=0)   # (B * heads, L, L)

    def forward(self, items):
        x = self.item(items) + self.pos(torch.arange(items.size(1), device=items.device))
        mask = self.attention_mask(items)
        for attn, n1, n2, ffn in zip(self.attn, self.norm1, self.norm2, self.ffn):
            h = n1(x)
            x = x + attn(h, h, h, attn_mask=mask, need_weights=False)[0]
            x = x + ffn(n2(x))
        return x


class NextItemModel(nn.Module):
    def __init__(self, n_items, **kw):
        super().__init__()
        self.encoder = SessionEncoder(n_items, **kw)

    def forward(self, items):
        h = self.encoder(items)
        return h @ self.encoder.item.weight.t()            # scores over the catalogue

    def loss(self, items, targets):
        logits = self(items)
        return F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=0)

    @torch.no_grad()
    def recommend(self, items, k=5):
        lengths = (items != 0).sum(1)
        logits = self(items)[torch.arange(items.size(0)), lengths - 1]
        logits[:, 0] = float("-inf")
        return logits.topk(k).indices


def right_pad(sessions, width):
    out = torch.zeros(len(sessions), width, dtype=torch.long)
    for i, s in enumerate(sessions):
        out[i, : len(s)] = torch.tensor(s[-width:])
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    model = NextItemModel(n_items=300)
    sessions = right_pad([[3, 17, 17, 42, 8, 9], [120, 121], [5, 6, 7, 8, 9, 10, 11, 12]], width=8)
    targets = torch.cat([sessions[:, 1:], torch.zeros(3, 1, dtype=torch.long)], dim=1)
    print("loss", round(model.loss(sessions, targets).item(), 3))
    print("top-5", model.eval().recommend(sessions).tolist())
