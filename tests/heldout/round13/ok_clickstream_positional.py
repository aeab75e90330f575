"""Next-click prediction for e-commerce sessions (SASRec-like), masks passed positionally."""
import torch
import torch.nn as nn

PAD = 0


class SessionBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, dropout=0.2, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim))

    def forward(self, x, pad, future):
        q = self.ln1(x)
        # (query, key, value, key_padding_mask, need_weights, attn_mask)
        y, _ = self.attn(q, x, x, pad, False, future)
        x = x + y
        return x + self.ff(self.ln2(x))


class SessionRec(nn.Module):
    def __init__(self, n_items=20000, dim=64, heads=2, depth=2, max_len=50):
        super().__init__()
        self.items = nn.Embedding(n_items + 1, dim, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, dim)
        self.blocks = nn.ModuleList(SessionBlock(dim, heads) for _ in range(depth))
        future = torch.ones(max_len, max_len, dtype=torch.bool).triu(1)
        self.register_buffer("future", future, persistent=False)

    def forward(self, seq):  # right-padded so the first position is always a real click
        L = seq.size(1)
        x = self.items(seq) + self.pos.weight[:L]
        pad = seq == PAD
        for blk in self.blocks:
            x = blk(x, pad, self.future[:L, :L])
        return x @ self.items.weight.T


if __name__ == "__main__":
    torch.manual_seed(0)
    seq = torch.randint(1, 20001, (16, 50))
    lens = torch.randint(3, 51, (16,))
    seq[torch.arange(50)[None] >= lens[:, None]] = PAD
    model = SessionRec()
    logits = model(seq[:, :-1])
    tgt = seq[:, 1:]
    loss = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt.reshape(-1), ignore_index=PAD)
    loss.backward()
    print("next-click loss", round(loss.item(), 4))
