# EXPECT: bug 0/1 float keep mask passed to SDPA as attn_mask; it is added to the logits (+1 on real tokens) so padded inputs are not masked
"""Perceiver-resampler style pooling: learned latents cross-attend to a padded
set of input features (e.g. variable numbers of image regions), then a latent
self-attention block, then classification.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CrossAttention(nn.Module):
    def __init__(self, dim, heads, dropout):
        super().__init__()
        self.heads = heads
        self.norm_latents = nn.LayerNorm(dim)
        self.norm_context = nn.LayerNorm(dim)
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_kv = nn.Linear(dim, 2 * dim, bias=False)
        self.to_out = nn.Linear(dim, dim)
        self.dropout = dropout

    def forward(self, latents, context, context_mask):
        B, M, C = latents.shape
        N = context.shape[1]
        h = self.heads
        q = self.to_q(self.norm_latents(latents)).view(B, M, h, C // h).transpose(1, 2)
        k, v = self.to_kv(self.norm_context(context)).chunk(2, dim=-1)
        k = k.view(B, N, h, C // h).transpose(1, 2)
        v = v.view(B, N, h, C // h).transpose(1, 2)
        # context_mask: (B, N) with 1 for valid items, 0 for padding
        attn_mask = context_mask[:, None, None, :].to(q.dtype)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=self.dropout if self.training else 0.0)  # BUG-SITE
        out = out.transpose(1, 2).reshape(B, M, C)
        return self.to_out(out)


class LatentSelfAttention(nn.Module):
    def __init__(self, dim, heads, dropout):
        super().__init__()
        self.heads = heads
        self.norm = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.dropout = dropout

    def forward(self, x):
        B, M, C = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, M, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0.0)
        return self.proj(out.transpose(1, 2).reshape(B, M, C))


class FeedForward(nn.Module):
    def __init__(self, dim, mult=2, dropout=0.1):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, dim * mult), nn.GELU(),
                                 nn.Dropout(dropout), nn.Linear(dim * mult, dim))

    def forward(self, x):
        return self.net(x)


class PerceiverClassifier(nn.Module):
    def __init__(self, in_dim=20, dim=32, num_latents=4, heads=4, num_classes=6, dropout=0.1):
        super().__init__()
        self.input_proj = nn.Linear(in_dim, dim)
        self.latents = nn.Parameter(torch.randn(num_latents, dim) * 0.02)
        self.cross = CrossAttention(dim, heads, dropout)
        self.cross_ff = FeedForward(dim, dropout=dropout)
        self.self_attn = LatentSelfAttention(dim, heads, dropout)
        self.self_ff = FeedForward(dim, dropout=dropout)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, num_classes))

    def forward(self, feats, mask):
        ctx = self.drop(self.input_proj(feats))
        lat = self.latents.unsqueeze(0).expand(feats.size(0), -1, -1)
        lat = lat + self.cross(lat, ctx, mask)
        lat = lat + self.cross_ff(lat)
        lat = lat + self.self_attn(lat)
        lat = lat + self.self_ff(lat)
        return self.head(lat.mean(1))


def make_batch(counts, max_items, in_dim):
    feats = torch.zeros(len(counts), max_items, in_dim)
    mask = torch.zeros(len(counts), max_items, dtype=torch.long)
    for i, n in enumerate(counts):
        feats[i, :n] = torch.randn(n, in_dim)
        mask[i, :n] = 1
    # padded slots hold stale garbage from a reused buffer
    feats = feats + (1 - mask[..., None]) * 3.0
    return feats, mask


def run():
    torch.manual_seed(0)
    model = PerceiverClassifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    feats, mask = make_batch([9, 4, 6, 2], 10, 20)
    labels = torch.tensor([1, 5, 0, 3])

    model.train()
    logits = model(feats, mask)
    loss = F.cross_entropy(logits, labels)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(feats, mask)
    return [loss.detach(), *grads, eval_logits]
