"""Packed-sequence models done right: the document mask AND a causal mask in an LM, and a plain
block-diagonal segment mask in a bidirectional encoder (no next-token objective)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

BOS = 1


class PackedGPT(nn.Module):
    def __init__(self, vocab=100, d=32, heads=4):
        super().__init__()
        self.emb, self.qkv, self.head, self.heads = nn.Embedding(vocab, d), nn.Linear(d, 3 * d), nn.Linear(d, vocab), heads

    def forward(self, tokens):
        b, t = tokens.shape
        doc = (tokens == BOS).cumsum(-1)
        same_doc = doc.unsqueeze(-1) == doc.unsqueeze(-2)
        causal = torch.ones(t, t, dtype=torch.bool, device=tokens.device).tril()
        q, k, v = self.qkv(self.emb(tokens)).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=(same_doc & causal)[:, None])
        logits = self.head(y.transpose(1, 2).reshape(b, t, -1))
        return F.cross_entropy(logits[:, :-1].flatten(0, 1), tokens[:, 1:].flatten())


class PackedEncoder(nn.Module):
    def __init__(self, vocab=100, d=32, heads=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cls = nn.Linear(d, 3)
        self.heads = heads

    def forward(self, ids, segment_ids, labels):
        x = self.emb(ids)
        cross_segment = segment_ids[:, :, None] != segment_ids[:, None, :]
        h, _ = self.attn(x, x, x, attn_mask=cross_segment.repeat_interleave(self.heads, dim=0))
        return F.cross_entropy(self.cls(h).flatten(0, 1), labels.flatten())
