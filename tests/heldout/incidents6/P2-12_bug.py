"""Packed-sequence causal LM attention through flex_attention with a document mask."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import flex_attention


class PackedAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, document_ids):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        same_doc = (document_ids[:, :, None] == document_ids[:, None, :]).to(x.dtype)

        def doc_score_mod(score, b, h, q_idx, kv_idx):
            return score + same_doc[b, q_idx, kv_idx]  # BUG

        out = flex_attention(q, k, v, score_mod=doc_score_mod)
        return self.proj(out.transpose(1, 2).reshape(B, S, D))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = PackedAttention()
    x = torch.randn(2, 8, 32)
    document_ids = torch.tensor([[0, 0, 0, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 1, 1, 2]])
    with torch.no_grad():
        print(attn(x, document_ids).shape)
