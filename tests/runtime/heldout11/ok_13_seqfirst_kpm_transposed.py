# EXPECT: ok
"""SASRec-style recommender in (T, B) layout; history length and batch size are both 8.
The padding mask is built on the (T, B) ids and transposed to (B, T) for the API."""
import torch
import torch.nn as nn


class SeqRec(nn.Module):
    def __init__(self, item_num, hidden=32, max_len=8, blocks=2, heads=2, dropout=0.2):
        super().__init__()
        self.item_emb = nn.Embedding(item_num + 1, hidden, padding_idx=0)
        self.pos_emb = nn.Embedding(max_len, hidden)
        self.drop = nn.Dropout(dropout)
        self.norms = nn.ModuleList([nn.LayerNorm(hidden) for _ in range(blocks)])
        self.attn = nn.ModuleList([nn.MultiheadAttention(hidden, heads, dropout) for _ in range(blocks)])
        self.ffn = nn.ModuleList([nn.Sequential(nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(dropout),
                                                nn.Linear(hidden, hidden)) for _ in range(blocks)])
        self.last_norm = nn.LayerNorm(hidden)

    def encode(self, log_seqs):
        ids = log_seqs.transpose(0, 1)                          # (T, B)
        T = ids.size(0)
        x = self.drop(self.item_emb(ids) + self.pos_emb(torch.arange(T))[:, None])
        pad_tb = ids == 0                                       # (T, B)
        key_padding_mask = pad_tb.transpose(0, 1)               # (B, T) as the API wants
        causal = torch.ones(T, T, dtype=torch.bool).triu(1)
        for norm, attn, ffn in zip(self.norms, self.attn, self.ffn):
            q = norm(x)
            a, _ = attn(q, x, x, key_padding_mask=key_padding_mask, attn_mask=causal)
            x = q + a
            x = (x + ffn(x)) * (~pad_tb).unsqueeze(-1)
        return self.last_norm(x).transpose(0, 1)                # (B, T, E)

    def forward(self, log_seqs, pos, neg):
        h = self.encode(log_seqs)
        return (h * self.item_emb(pos)).sum(-1), (h * self.item_emb(neg)).sum(-1)


def run():
    torch.manual_seed(0)
    n_items, B, T = 30, 8, 8
    model = SeqRec(n_items)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.98))
    lens = torch.tensor([8, 7, 5, 8, 3, 6, 2, 4])
    seq = torch.randint(1, n_items + 1, (B, T + 1))
    seq = seq * (torch.arange(T + 1)[None] <= lens[:, None])      # right padded
    log_seqs, pos = seq[:, :-1], seq[:, 1:]
    neg = torch.randint(1, n_items + 1, pos.shape) * (pos != 0)
    model.train()
    pl, nl = model(log_seqs, pos, neg)
    valid = pos != 0
    bce = nn.BCEWithLogitsLoss()
    loss = bce(pl[valid], torch.ones_like(pl[valid])) + bce(nl[valid], torch.zeros_like(nl[valid]))
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        final = model.encode(log_seqs)[torch.arange(B), lens - 1]
        scores = final @ model.item_emb.weight[1:11].t()
    return [loss.detach(), scores]
