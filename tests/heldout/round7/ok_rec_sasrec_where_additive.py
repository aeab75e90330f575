"""SASRec-style next-item model over LEFT-padded histories (time-major MHA idiom).
Both masks are additive floats built with torch.where (same kind for both, so
no mixed-mask path), and pad queries are parked on their own diagonal."""
import torch
import torch.nn as nn

NEG_INF = float("-inf")


class PointWiseFeedForward(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.conv1 = nn.Conv1d(hidden, hidden, 1)
        self.conv2 = nn.Conv1d(hidden, hidden, 1)

    def forward(self, x):
        return x + self.conv2(torch.relu(self.conv1(x.transpose(-1, -2)))).transpose(-1, -2)


def additive_causal(tl):
    future = torch.triu(torch.ones(tl, tl, dtype=torch.bool), diagonal=1)
    return torch.where(future, NEG_INF, 0.0)


def additive_left_pad(log_seqs):
    """(N, S) float: -inf on padded keys, except each pad row's own column is handled by the causal part."""
    return torch.where(log_seqs == 0, NEG_INF, 0.0)


class SASRec(nn.Module):
    def __init__(self, item_num, maxlen=8, hidden=32, heads=2, blocks=2):
        super().__init__()
        self.heads = heads
        self.item_emb = nn.Embedding(item_num + 1, hidden, padding_idx=0)
        self.pos_emb = nn.Embedding(maxlen + 1, hidden, padding_idx=0)
        self.attn_ln = nn.ModuleList([nn.LayerNorm(hidden, eps=1e-8) for _ in range(blocks)])
        self.attn = nn.ModuleList([nn.MultiheadAttention(hidden, heads) for _ in range(blocks)])
        self.ffn_ln = nn.ModuleList([nn.LayerNorm(hidden, eps=1e-8) for _ in range(blocks)])
        self.ffn = nn.ModuleList([PointWiseFeedForward(hidden) for _ in range(blocks)])
        self.last_layernorm = nn.LayerNorm(hidden, eps=1e-8)

    def log2feats(self, log_seqs):
        real = log_seqs != 0
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        poss = torch.cumsum(real.long(), 1) * real  # 1-based positions counted from the first real item
        seqs = (seqs + self.pos_emb(poss)) * real.unsqueeze(-1)
        tl = seqs.shape[1]
        # one (N*H, L, L) additive mask: causal + padded keys, with the diagonal always open
        combined = additive_causal(tl)[None] + additive_left_pad(log_seqs)[:, None, :]
        combined = torch.where(torch.eye(tl, dtype=torch.bool)[None], 0.0, combined)
        combined = combined.repeat_interleave(self.heads, dim=0)
        for i in range(len(self.attn)):
            seqs = seqs.transpose(0, 1)
            Q = self.attn_ln[i](seqs)
            out, _ = self.attn[i](Q, seqs, seqs, attn_mask=combined)
            seqs = (Q + out).transpose(0, 1)
            seqs = self.ffn[i](self.ffn_ln[i](seqs)) * real.unsqueeze(-1)
        return self.last_layernorm(seqs)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SASRec(item_num=20)
    hist = torch.tensor([[0, 0, 0, 4, 7, 2, 9, 11], [1, 3, 5, 6, 8, 10, 12, 13]])
    for mode in ("train", "eval"):
        getattr(model, mode)()
        with torch.no_grad():
            a = model.log2feats(hist)
            changed = hist.clone()
            changed[:, -1] = 15
            b = model.log2feats(changed)
            solo = model.log2feats(hist[:1, 3:])
        assert (a[:, :-1] - b[:, :-1]).abs().max() < 1e-5, "future item leaked"
        assert torch.allclose(a[0, 3:], solo[0], atol=1e-5), "left padding changed the real positions"
        assert not torch.isnan(a).any()
        print(mode, "ok: causal, left-pad invariant, finite")
