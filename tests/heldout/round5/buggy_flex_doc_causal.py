"""Packed-document causal LM attention with FlexAttention (several documents per row)."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def document_ids_from_lengths(doc_lengths, total: int, device=None) -> torch.Tensor:
    ids = torch.repeat_interleave(torch.arange(len(doc_lengths), device=device), torch.tensor(doc_lengths, device=device))
    return torch.nn.functional.pad(ids, (0, total - ids.numel()), value=-1)


def make_doc_causal_mod(doc_ids: torch.Tensor):
    def doc_causal(b, h, q_idx, kv_idx):
        same_doc = doc_ids[q_idx] == doc_ids[kv_idx]
        not_past = q_idx <= kv_idx
        return same_doc & not_past
    return doc_causal


class PackedSelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x, block_mask):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).unbind(2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        y = flex_attention(q, k, v, block_mask=block_mask)
        return self.o(y.transpose(1, 2).reshape(B, T, C))


def build_block_mask(doc_lengths, seq_len: int, device="cpu"):
    doc_ids = document_ids_from_lengths(doc_lengths, seq_len, device)
    return create_block_mask(
        make_doc_causal_mod(doc_ids),  # expect: ML102
        B=None,
        H=None,
        Q_LEN=seq_len,
        KV_LEN=seq_len,
        device=device,
    )


if __name__ == "__main__":
    torch.manual_seed(0)
    seq_len = 128
    bm = build_block_mask([50, 40, 30], seq_len)
    attn = PackedSelfAttention(64, 4)
    x = torch.randn(1, seq_len, 64)
    with torch.no_grad():
        y = attn(x, bm)
        x2 = x.clone()
        x2[:, 10] += 1.0
        print("token 3 sees token 10:", not torch.allclose(y[:, 3], attn(x2, bm)[:, 3]))
