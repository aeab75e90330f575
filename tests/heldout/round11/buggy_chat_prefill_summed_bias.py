"""Left-padded batched prefill for a small chat model (Llama-like block, half precision)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PrefillAttention(nn.Module):
    def __init__(self, dim=256, n_heads=8):
        super().__init__()
        self.n_heads = n_heads
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    @classmethod
    def build_bias(cls, attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
        bsz, seq = attention_mask.shape
        neg = torch.finfo(dtype).min
        causal = torch.triu(torch.full((seq, seq), neg, dtype=dtype), diagonal=1)
        padding = (1.0 - attention_mask[:, None, None, :].to(dtype)) * neg
        return causal[None, None] + padding

    def forward(self, x, attention_mask):
        b, t, d = x.shape
        q, k, v = self.wqkv(x).view(b, t, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        bias = self.build_bias(attention_mask, x.dtype)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML205
        return self.wo(out.transpose(1, 2).reshape(b, t, d))


def left_pad(batch_ids, pad_id=0):
    width = max(len(s) for s in batch_ids)
    ids = torch.full((len(batch_ids), width), pad_id)
    mask = torch.zeros(len(batch_ids), width, dtype=torch.long)
    for i, s in enumerate(batch_ids):
        ids[i, width - len(s):] = torch.tensor(s)
        mask[i, width - len(s):] = 1
    return ids, mask


if __name__ == "__main__":
    dtype = torch.bfloat16
    emb = nn.Embedding(1000, 256).to(dtype)
    attn = PrefillAttention().to(dtype)
    ids, mask = left_pad([[5, 9, 12, 40, 41, 42], [7, 8], [3, 3, 3, 3]])
    with torch.no_grad():
        h = attn(emb(ids), mask)
    print(h.shape, torch.isnan(h.float()).any().item())
