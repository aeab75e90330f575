"""Packed-sequence causal LM using FlexAttention: several documents are
concatenated into one row, and attention must stay inside a document."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

flex_attention = torch.compile(flex_attention, dynamic=False)


def build_block_mask(document_ids: torch.Tensor):
    """document_ids: (B, S) int tensor, the document index of every token."""
    B, S = document_ids.shape

    def doc_mask(b, h, q_idx, kv_idx):
        same_doc = document_ids[b, q_idx] == document_ids[b, kv_idx]
        future = kv_idx > q_idx
        # hide tokens from the future and tokens of other documents
        return future | ~same_doc

    return create_block_mask(
        doc_mask,  # expect: ML102
        B=B, H=None, Q_LEN=S, KV_LEN=S, device=document_ids.device,
    )


class FlexSelfAttention(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim, bias=False)

    def forward(self, x, block_mask):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.n_heads, -1).unbind(2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        y = flex_attention(q, k, v, block_mask=block_mask)
        return self.out(y.transpose(1, 2).reshape(B, S, D))


class PackedLM(nn.Module):
    def __init__(self, vocab, dim=768, n_heads=12, n_layers=12):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.attn = nn.ModuleList(FlexSelfAttention(dim, n_heads) for _ in range(n_layers))
        self.mlp = nn.ModuleList(
            nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
            for _ in range(n_layers)
        )
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(n_layers))
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, tokens, document_ids, labels=None):
        block_mask = build_block_mask(document_ids)
        x = self.emb(tokens)
        for attn, norm, mlp in zip(self.attn, self.norms, self.mlp):
            x = x + attn(norm(x), block_mask)
            x = x + mlp(x)
        logits = self.lm_head(x)
        if labels is None:
            return logits
        return F.cross_entropy(logits[:, :-1].flatten(0, 1), labels[:, 1:].flatten(), ignore_index=-100)
