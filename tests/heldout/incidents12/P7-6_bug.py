import torch
import torch.nn.functional as F
from torch import nn


def and_masks(*mask_functions):
    def and_mask(batch_idx, head_idx, q_idx, kv_idx):
        result = torch.ones((), dtype=torch.bool)
        for mask in mask_functions:
            result = result & mask(batch_idx, head_idx, q_idx, kv_idx)
        return result
    return and_mask


def causal_mask_function(batch_idx, head_idx, q_idx, kv_idx):
    return kv_idx <= q_idx


def sliding_window_overlay(sliding_window):
    def inner_mask(batch_idx, head_idx, q_idx, kv_idx):
        return kv_idx > q_idx - sliding_window
    return inner_mask


def padding_mask_function(padding_mask):
    def inner_mask(batch_idx, head_idx, q_idx, kv_idx):
        return padding_mask[batch_idx, kv_idx]
    return inner_mask


def create_sliding_window_causal_mask(attention_mask, seq_len, sliding_window):
    mask_function = and_masks(causal_mask_function, sliding_window_overlay(sliding_window), padding_mask_function(attention_mask.bool()))
    b = torch.arange(attention_mask.shape[0])[:, None, None, None]
    q = torch.arange(seq_len)[None, None, :, None]
    kv = torch.arange(seq_len)[None, None, None, :]
    mask = mask_function(b, None, q, kv)
    mask = mask  # BUG
    return mask


class Gemma4SlidingAttention(nn.Module):
    def __init__(self, hidden=32, heads=4, sliding_window=3):
        super().__init__()
        self.heads = heads
        self.sliding_window = sliding_window
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, attention_mask):
        b, n, d = x.shape
        mask = create_sliding_window_causal_mask(attention_mask, n, self.sliding_window)
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.o_proj(out.transpose(1, 2).reshape(b, n, d)), mask


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = Gemma4SlidingAttention().eval()
    x = torch.randn(2, 8, 32)
    attention_mask = torch.tensor([[0, 0, 0, 0, 1, 1, 1, 1], [1] * 8])
    with torch.no_grad():
        out, mask = attn(x, attention_mask)
    print(f"query rows with no attendable key: {int((~mask.any(-1)).sum())}; NaN on this CPU backend: {int(torch.isnan(out).sum())}; pad-row |out| max {out[0, :4].abs().max().item():.3f}")
