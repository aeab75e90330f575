"""monoT5-style reranker: "Query: q Document: d Relevant:" is encoded by a
T5-like encoder and the decoder is run for exactly ONE step from the start
token; the relevance score is log-softmax over {"true", "false"} logits.  With a
single decoder position there is nothing in the future to hide, so decoder
self-attention needs no causal mask; cross-attention must mask encoder padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, START, TRUE_ID, FALSE_ID = 0, 0, 10, 11


class T5Attention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.q, self.k, self.v, self.o = (nn.Linear(d, d, bias=False) for _ in range(4))

    def forward(self, x, kv, keep=None):
        B, T, D = x.shape
        S = kv.size(1)
        q = self.q(x).view(B, T, self.h, -1).transpose(1, 2)
        k = self.k(kv).view(B, S, self.h, -1).transpose(1, 2)
        v = self.v(kv).view(B, S, self.h, -1).transpose(1, 2)
        mask = None if keep is None else keep[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.o(y.transpose(1, 2).reshape(B, T, D))


class MonoT5(nn.Module):
    def __init__(self, vocab=800, d=64, h=4, n=2):
        super().__init__()
        self.shared = nn.Embedding(vocab, d)
        self.enc_pos = nn.Embedding(256, d)
        self.enc = nn.ModuleList(T5Attention(d, h) for _ in range(n))
        self.enc_ff = nn.ModuleList(nn.Sequential(nn.RMSNorm(d), nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d)) for _ in range(n))
        self.enc_ln = nn.ModuleList(nn.RMSNorm(d) for _ in range(n))
        self.dec_self = T5Attention(d, h)
        self.dec_cross = T5Attention(d, h)
        self.dec_ln = nn.ModuleList(nn.RMSNorm(d) for _ in range(3))
        self.dec_ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))

    def score(self, input_ids, attention_mask):
        keep = attention_mask.bool()
        x = self.shared(input_ids) + self.enc_pos(torch.arange(input_ids.size(1)))
        for attn, ff, ln in zip(self.enc, self.enc_ff, self.enc_ln):
            h = ln(x)
            x = x + attn(h, h, keep)
            x = x + ff(x)
        y = self.shared(torch.full((input_ids.size(0), 1), START))  # one decoder step
        h = self.dec_ln[0](y)
        y = y + self.dec_self(h, h)
        y = y + self.dec_cross(self.dec_ln[1](y), x, keep)
        y = y + self.dec_ff(self.dec_ln[2](y))
        logits = y[:, 0] @ self.shared.weight.t()
        return logits[:, [TRUE_ID, FALSE_ID]].log_softmax(-1)[:, 0]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MonoT5().eval()
    ids = torch.randint(20, 800, (3, 24))
    am = torch.ones(3, 24, dtype=torch.long)
    am[1, 15:] = 0
    am[2, 9:] = 0
    ids = ids * am
    with torch.no_grad():
        s = model.score(ids, am)
        solo = torch.stack([model.score(ids[i : i + 1, : int(am[i].sum())], am[i : i + 1, : int(am[i].sum())])[0] for i in range(3)])
    assert torch.allclose(s, solo, atol=1e-5) and not torch.isnan(s).any()
    print("OK: single-step decoder needs no causal mask; encoder padding masked everywhere")
