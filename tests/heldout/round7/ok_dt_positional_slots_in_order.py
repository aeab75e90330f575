"""Online Decision Transformer fine-tuning: hand-rolled blocks over interleaved
(R, s, a) tokens, causal mask cached as a buffer and handed to
nn.MultiheadAttention positionally, in forward()'s order:
(query, key, value, key_padding_mask, need_weights, attn_mask)."""
import torch
import torch.nn as nn


class ODTBlock(nn.Module):
    def __init__(self, d, heads, max_tokens):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.register_buffer(
            "future", torch.triu(torch.ones(max_tokens, max_tokens, dtype=torch.bool), 1), persistent=False)

    def forward(self, x):
        T = x.size(1)
        h = self.ln1(x)
        a, _ = self.attn(
            h, h, h,
            None, False,
            self.future[:T, :T],
        )
        x = x + a
        return x + self.ff(self.ln2(x))


class OnlineDT(nn.Module):
    def __init__(self, s_dim=4, a_dim=2, d=32, heads=4, K=4, layers=2):
        super().__init__()
        self.d = d
        self.emb_r, self.emb_s, self.emb_a = nn.Linear(1, d), nn.Linear(s_dim, d), nn.Linear(a_dim, d)
        self.blocks = nn.ModuleList([ODTBlock(d, heads, 3 * K) for _ in range(layers)])
        self.mu = nn.Linear(d, a_dim)
        self.log_std = nn.Parameter(torch.zeros(a_dim))

    def forward(self, r, s, a):
        B, K, _ = s.shape
        x = torch.stack([self.emb_r(r), self.emb_s(s), self.emb_a(a)], 2).reshape(B, 3 * K, self.d)
        for blk in self.blocks:
            x = blk(x)
        h = x.reshape(B, K, 3, self.d)[:, :, 1]
        return torch.distributions.Normal(self.mu(h), self.log_std.exp())


if __name__ == "__main__":
    torch.manual_seed(0)
    model = OnlineDT()
    r, s, a = torch.randn(2, 4, 1), torch.randn(2, 4, 4), torch.randn(2, 4, 2)
    for mode in ("train", "eval"):
        getattr(model, mode)()
        with torch.no_grad():
            mu = model(r, s, a).mean
            a2 = a.clone()
            a2[:, 1] += 2.0  # logged action a_1
            mu2 = model(r, s, a2).mean
        assert (mu[:, :2] - mu2[:, :2]).abs().max() < 1e-5, "a_1 leaked into the prediction of a_0/a_1"
        assert not torch.isnan(mu).any()
        print(mode, "ok: causal")
