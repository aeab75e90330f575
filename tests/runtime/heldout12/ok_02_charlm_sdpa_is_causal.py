# EXPECT: ok
"""Tiny character-level GPT block; causality comes from SDPA's is_causal flag (L == S)."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIG = dict(vocab=20, block_size=8, d_model=32, n_head=4, dropout=0.1)


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.n_head = cfg["n_head"]
        self.qkv = nn.Linear(cfg["d_model"], 3 * cfg["d_model"])
        self.proj = nn.Linear(cfg["d_model"], cfg["d_model"])
        self.p = cfg["dropout"]
        bs = cfg["block_size"]
        # kept for a manual-attention fallback (True = may attend)
        self.register_buffer("allowed", torch.tril(torch.ones(bs, bs, dtype=torch.bool)), persistent=False)

    def forward(self, x, manual=False):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.n_head, C // self.n_head).permute(2, 0, 3, 1, 4)
        if manual:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.allowed[:T, :T])
        else:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=self.p if self.training else 0.0)
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class CharGPT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.tok = nn.Embedding(cfg["vocab"], cfg["d_model"])
        self.pos = nn.Parameter(torch.randn(cfg["block_size"], cfg["d_model"]) / math.sqrt(cfg["d_model"]))
        self.ln1 = nn.LayerNorm(cfg["d_model"])
        self.attn = CausalSelfAttention(cfg)
        self.ln2 = nn.LayerNorm(cfg["d_model"])
        self.mlp = nn.Sequential(nn.Linear(cfg["d_model"], 64), nn.GELU(), nn.Linear(64, cfg["d_model"]), nn.Dropout(cfg["dropout"]))
        self.head = nn.Linear(cfg["d_model"], cfg["vocab"])

    def forward(self, idx, manual=False):
        x = self.tok(idx) + self.pos[: idx.size(1)]
        x = x + self.attn(self.ln1(x), manual)
        x = x + self.mlp(self.ln2(x))
        return self.head(x)


def run():
    torch.manual_seed(0)
    model = CharGPT(CONFIG)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    data = torch.randint(0, CONFIG["vocab"], (4, CONFIG["block_size"] + 1))
    x, y = data[:, :-1], data[:, 1:]

    model.train()
    logits = model(x)
    loss = F.cross_entropy(logits.reshape(-1, CONFIG["vocab"]), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        out = model(x)
        out_manual = model(x, manual=True)
    return [loss.detach(), out, out_manual]
