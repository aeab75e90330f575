import warnings

import torch
from torch.nn.attention.flex_attention import flex_attention


def dynamic_mask_attention(query, key, value, attn_mask, is_causal=True, scale=None):
    """Sparse attention: attn_mask (B, H, Lq, Lk) is 1 on keys kept by the top-k selector, 0 elsewhere."""

    def score_mod(score, batch_idx, head_idx, q_idx, kv_idx):
        keep = attn_mask[batch_idx, head_idx, q_idx, kv_idx]
        return score + keep  # BUG

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return flex_attention(query, key, value, score_mod=score_mod, scale=scale)


def topk_key_selector(query, key, keep_window):
    """Keep, for every query, the keep_window highest-scoring keys among the visible ones."""
    scores = query @ key.transpose(-1, -2)
    s = scores.shape[-1]
    scores = scores.masked_fill(torch.ones(s, s, dtype=torch.bool).triu(1), float("-inf"))
    idx = scores.topk(keep_window, dim=-1).indices
    mask = torch.zeros_like(scores)
    mask.scatter_(-1, idx, 1.0)
    return mask


class SparseAttentionBlock(torch.nn.Module):
    def __init__(self, dim=32, heads=4, keep_window=4):
        super().__init__()
        self.heads, self.keep_window = heads, keep_window
        self.qkv = torch.nn.Linear(dim, 3 * dim, bias=False)
        self.out = torch.nn.Linear(dim, dim, bias=False)

    def forward(self, x):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        mask = topk_key_selector(q, k, self.keep_window)
        causal = torch.ones(s, s, dtype=torch.bool).tril()
        mask = mask * causal
        mask[..., 0] = 1.0
        y = dynamic_mask_attention(q, k, v, mask, is_causal=True)
        return self.out(y.transpose(1, 2).reshape(b, s, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    block = SparseAttentionBlock().eval()
    x = torch.randn(1, 12, 32)
    with torch.no_grad():
        y = block(x)
        x2 = x.clone()
        x2[:, 6:] = torch.randn(1, 6, 32)
        leak = (block(x2)[:, :6] - y[:, :6]).abs().max().item()
    print(f"future leak: max |d out[:, :6]| after editing tokens 6.. = {leak:.4f}")
