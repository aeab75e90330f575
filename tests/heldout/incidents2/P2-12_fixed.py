import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import flex_attention


def build_document_mask(doc_ids: torch.Tensor) -> torch.Tensor:
    """(B, L) document ids -> (B, L, L) bool mask, True where q and kv are in the same document."""
    return doc_ids[:, :, None] == doc_ids[:, None, :]


def make_score_mod(doc_mask: torch.Tensor):
    def document_score_mod(score, b, h, q_idx, kv_idx):
        keep = doc_mask[b, q_idx, kv_idx] & (q_idx >= kv_idx)
        return torch.where(keep, score, -float("inf"))
    return document_score_mod


class PackedCausalAttention(nn.Module):
    def __init__(self, dim: int = 512, n_heads: int = 8):
        super().__init__()
        self.n_heads = n_heads
        self.head_dim = dim // n_heads
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    def forward(self, x: torch.Tensor, doc_ids: torch.Tensor) -> torch.Tensor:
        B, L, D = x.shape
        q, k, v = self.wqkv(x).view(B, L, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        score_mod = make_score_mod(build_document_mask(doc_ids))
        out = flex_attention(q, k, v, score_mod=score_mod)
        return self.wo(out.transpose(1, 2).reshape(B, L, D))


if __name__ == "__main__":
    attn = PackedCausalAttention()
    x = torch.randn(2, 128, 512)
    doc_ids = torch.cat([torch.zeros(2, 50), torch.ones(2, 40), torch.full((2, 38), 2.0)], dim=1).long()
    with torch.no_grad():
        print(attn(x, doc_ids).shape)
