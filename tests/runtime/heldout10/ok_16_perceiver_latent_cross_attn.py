# EXPECT: ok latent queries (L=8) cross-attend to a padded byte array (S=14) through SDPA with a (B, 1, 1, S) boolean keep-mask, L != S and no causal mask; the latent self-attention afterwards is unmasked by design.
"""Perceiver / Perceiver IO style classifier over byte sequences in the style of lucidrains/perceiver-pytorch (cross-attention with input mask, latent transformer)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, q_dim, kv_dim, heads, p):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(q_dim, q_dim, bias=False)
        self.to_kv = nn.Linear(kv_dim, 2 * q_dim, bias=False)
        self.to_out = nn.Linear(q_dim, q_dim)
        self.p = p

    def forward(self, x, context=None, mask=None):
        context = x if context is None else context
        B, L, D = x.shape
        S = context.size(1)
        q = self.to_q(x).view(B, L, self.heads, -1).transpose(1, 2)
        k, v = self.to_kv(context).view(B, S, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        attn_mask = None if mask is None else mask[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=self.p if self.training else 0.0)
        return self.to_out(y.transpose(1, 2).reshape(B, L, D))


class Perceiver(nn.Module):
    def __init__(self, num_bytes=256, input_dim=24, latent_dim=32, num_latents=8, heads=4, depth=2, classes=3, p=0.1):
        super().__init__()
        self.byte_emb = nn.Embedding(num_bytes, input_dim)
        self.pos_emb = nn.Embedding(32, input_dim)
        self.latents = nn.Parameter(torch.randn(num_latents, latent_dim) * 0.02)
        self.cross_norm = nn.LayerNorm(latent_dim)
        self.ctx_norm = nn.LayerNorm(input_dim)
        self.cross_attn = Attention(latent_dim, input_dim, 1, p)
        self.self_attns = nn.ModuleList([Attention(latent_dim, latent_dim, heads, p) for _ in range(depth)])
        self.norms = nn.ModuleList([nn.LayerNorm(latent_dim) for _ in range(depth)])
        self.ffs = nn.ModuleList([nn.Sequential(nn.Linear(latent_dim, 64), nn.GELU(), nn.Linear(64, latent_dim)) for _ in range(depth)])
        self.drop = nn.Dropout(p)
        self.head = nn.Linear(latent_dim, classes)

    def forward(self, data, mask):
        ctx = self.ctx_norm(self.byte_emb(data) + self.pos_emb(torch.arange(data.size(1)))[None])
        x = self.latents.unsqueeze(0).expand(data.size(0), -1, -1)
        x = x + self.drop(self.cross_attn(self.cross_norm(x), ctx, mask=mask))
        for attn, norm, ff in zip(self.self_attns, self.norms, self.ffs):
            x = x + self.drop(attn(norm(x)))
            x = x + self.drop(ff(x))
        return self.head(x.mean(1))


def encode_bytes(texts, S=14):
    data = torch.zeros(len(texts), S, dtype=torch.long)
    mask = torch.zeros(len(texts), S, dtype=torch.bool)
    for i, t in enumerate(texts):
        b = list(t.encode())[:S]
        data[i, :len(b)] = torch.tensor(b)
        mask[i, :len(b)] = True
    return data, mask


def run():
    torch.manual_seed(0)
    model = Perceiver()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    data, mask = encode_bytes(["hello world!", "ok", "perceiver io"])
    model.train()
    loss = F.cross_entropy(model(data, mask), torch.tensor([0, 1, 2]))
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        d2, m2 = encode_bytes(["bytes in, bytes", "x"])
        logits = model(d2, m2)
    return [loss.detach(), *grads, logits]
