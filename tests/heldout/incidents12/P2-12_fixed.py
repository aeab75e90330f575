import warnings

import torch
from torch.nn.attention.flex_attention import flex_attention


def build_score_mod(attn_mask):
    def score_mod(score, b, h, q_idx, kv_idx):
        return torch.where((attn_mask[b, h, q_idx, kv_idx] > 0) & (q_idx >= kv_idx), score, -float("inf"))
    return score_mod


def flex_sparse_attention_forward(query, key, value, attention_mask, scale=None):
    bsz, num_heads, q_len, _ = query.shape
    attn_mask = attention_mask[:, None, None, :].to(query.dtype).expand(bsz, num_heads, q_len, key.shape[-2])
    score_mod = build_score_mod(attn_mask)
    return flex_attention(query, key, value, score_mod=score_mod, scale=scale)


class CausalSelfAttention(torch.nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = torch.nn.Linear(hidden, 3 * hidden)
        self.o = torch.nn.Linear(hidden, hidden)

    def forward(self, x, attention_mask):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        out = flex_sparse_attention_forward(q, k, v, attention_mask)
        return self.o(out.transpose(1, 2).reshape(b, n, d))


if __name__ == "__main__":
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    attn = CausalSelfAttention().eval()
    x = torch.randn(2, 8, 32)
    attention_mask = torch.ones(2, 8, dtype=torch.long)
    attention_mask[1, 6:] = 0
    edited = x.clone()
    edited[:, 4:] += torch.randn(2, 4, 32)
    with torch.no_grad():
        d = (attn(x, attention_mask)[:, :4] - attn(edited, attention_mask)[:, :4]).abs().max().item()
    print(f"future leak: max |d out[:, :4]| after editing tokens 4.. = {d:.4f}")
