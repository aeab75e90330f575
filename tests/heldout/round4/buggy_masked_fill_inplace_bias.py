"""Sentence-embedding encoder (mean pooling) on top of SDPA; HF tokenizer masks."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class EmbeddingLayer(nn.Module):
    def __init__(self, dim=384, heads=6, mlp_ratio=4):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * mlp_ratio), nn.GELU(), nn.Linear(dim * mlp_ratio, dim))

    def forward(self, x, bias):
        B, S, D = x.shape
        q, k, v = self.qkv(self.norm1(x)).reshape(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        x = x + self.proj(a.transpose(1, 2).reshape(B, S, D))
        return x + self.mlp(self.norm2(x))


class SentenceEncoder(nn.Module):
    def __init__(self, vocab_size=30522, dim=384, depth=6, heads=6, max_len=512):
        super().__init__()
        self.word = nn.Embedding(vocab_size, dim)
        self.position = nn.Embedding(max_len, dim)
        self.layers = nn.ModuleList(EmbeddingLayer(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)

    def forward(self, input_ids, attention_mask):
        # attention_mask from the tokenizer: 1 for real tokens, 0 for padding
        B, S = input_ids.shape
        pos = torch.arange(S, device=input_ids.device)
        x = self.word(input_ids) + self.position(pos)

        bias = torch.zeros(B, S, dtype=x.dtype, device=x.device)
        bias.masked_fill_(attention_mask.bool(), float("-inf"))
        for layer in self.layers:
            x = layer(x, bias[:, None, None, :])  # expect: ML103
        x = self.norm(x)

        w = attention_mask.unsqueeze(-1).to(x.dtype)
        emb = (x * w).sum(1) / w.sum(1).clamp(min=1e-9)
        return F.normalize(emb, dim=-1)


def contrastive_loss(model, a_ids, a_mask, b_ids, b_mask, scale=20.0):
    ea = model(a_ids, a_mask)
    eb = model(b_ids, b_mask)
    sim = ea @ eb.T * scale
    labels = torch.arange(sim.size(0), device=sim.device)
    return F.cross_entropy(sim, labels)
