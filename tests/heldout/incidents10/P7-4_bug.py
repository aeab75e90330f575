"""Falcon-style left-padded batch through SDPA (pytorch#110213 / HF
_unmask_unattended).  The additive mask uses finfo.min; pad query rows are
fully masked.  The memory-efficient CUDA kernel returned NaN for such rows in
torch 2.1; the CPU kernels do not (kernel-dependent row: the smoke run
reports how many query rows have no attendable key)."""
import torch
import torch.nn.functional as F
from torch import nn


def prepare_4d_causal_attention_mask_for_sdpa(attention_mask, seq_len, dtype):
    min_dtype = torch.finfo(dtype).min
    causal = torch.full((seq_len, seq_len), min_dtype, dtype=dtype).triu(1)[None, None]
    causal = causal.expand(attention_mask.size(0), 1, -1, -1).clone()
    causal = causal.masked_fill(attention_mask[:, None, None, :] == 0, min_dtype)
    return causal




class FalconAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.query_key_value = nn.Linear(dim, 3 * dim, bias=False)
        self.dense = nn.Linear(dim, dim, bias=False)

    def forward(self, x, attention_mask):
        b, s, d = x.shape
        q, k, v = self.query_key_value(x).view(b, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        o = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)  # BUG
        return self.dense(o.transpose(1, 2).reshape(b, s, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    am = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
    mask = prepare_4d_causal_attention_mask_for_sdpa(am, 5, torch.float32)
    rows = int((mask == torch.finfo(torch.float32).min).all(-1).sum())
    out = FalconAttention()(torch.randn(2, 5, 32), mask)
    print("query rows with no attendable key:", rows, "| NaN on this kernel:", bool(out.isnan().any()))
