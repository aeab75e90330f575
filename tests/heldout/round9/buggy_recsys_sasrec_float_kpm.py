"""SASRec next-item recommender: left-padded item histories, item id 0 = padding."""
import torch
import torch.nn as nn


class SASRecBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ffn = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, h, causal, seqs):
        q = self.ln(h)
        pad = (seqs == 0).float()
        out, w = self.attn(q, h, h,
                           attn_mask=causal,
                           key_padding_mask=pad)  # expect: ML201
        h = q + out
        return h + self.ffn(h), w


class SASRec(nn.Module):
    def __init__(self, n_items=50, d=32, heads=2, max_len=10):
        super().__init__()
        self.item = nn.Embedding(n_items + 1, d, padding_idx=0)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList([SASRecBlock(d, heads) for _ in range(2)])

    def forward(self, seqs):
        L = seqs.size(1)
        h = self.item(seqs) + self.pos(torch.arange(L))
        causal = torch.triu(torch.full((L, L), float("-inf")), diagonal=1)
        weights = []
        for blk in self.blocks:
            h, w = blk(h, causal, seqs)
            weights.append(w)
        return h, weights


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SASRec().train()
    seqs = torch.tensor([[0, 0, 0, 0, 5, 9, 3, 7, 1, 2],
                         [4, 8, 15, 16, 23, 42, 7, 3, 2, 1]])
    _, weights = model(seqs)
    on_pad = weights[0][0, -1, :4].sum().item()
    print(f"FAILURE SHOWN: last position of user 0 puts {on_pad:.2f} of its attention on padding")
