"""GPT-2 flash-attention-2 integration (excerpt).  flash_attn is not
importable on CPU, so the varlen kernel is emulated per sequence with SDPA;
the causal flag is what matters."""
import torch
import torch.nn.functional as F
from torch import nn

try:
    from flash_attn import flash_attn_varlen_func
except ImportError:
    def flash_attn_varlen_func(q, k, v, cu_seqlens_q, cu_seqlens_k, max_seqlen_q, max_seqlen_k, dropout_p=0.0, causal=False):
        outs = []
        for i in range(len(cu_seqlens_q) - 1):
            s, e = cu_seqlens_q[i], cu_seqlens_q[i + 1]
            qi, ki, vi = (t[s:e].transpose(0, 1) for t in (q, k, v))
            outs.append(F.scaled_dot_product_attention(qi, ki, vi, is_causal=causal).transpose(0, 1))
        return torch.cat(outs, 0)


def _flash_attention_forward(query, key, value, attention_mask, query_length, is_causal):
    """query: (B, S, H, D); attention_mask: (B, S) 1 = real token (left padded)."""
    b = query.shape[0]
    seqlens = attention_mask.sum(-1, dtype=torch.int32)
    cu = F.pad(torch.cumsum(seqlens, 0, dtype=torch.int32), (1, 0))
    idx = torch.nonzero(attention_mask.flatten(), as_tuple=False).flatten()
    q, k, v = (t.reshape(-1, *t.shape[2:])[idx] for t in (query, key, value))
    out = flash_attn_varlen_func(q, k, v, cu, cu, int(seqlens.max()), int(seqlens.max()), causal=is_causal)
    full = torch.zeros(b * query.shape[1], *out.shape[1:], dtype=out.dtype)
    full[idx] = out
    return full.view(b, query.shape[1], *out.shape[1:])


class GPT2FlashAttention2(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, embed_dim // num_heads
        self.is_causal = True
        self.c_attn = nn.Linear(embed_dim, 3 * embed_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, hidden_states, attention_mask):
        b, s, d = hidden_states.shape
        q, k, v = self.c_attn(hidden_states).view(b, s, 3, self.num_heads, self.head_dim).unbind(2)
        is_causal = self.is_causal and s > 1
        out = _flash_attention_forward(q, k, v, attention_mask, s, is_causal=is_causal)
        return self.c_proj(out.reshape(b, s, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = GPT2FlashAttention2()
    am = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    x = torch.randn(2, 6, 32)
    x2 = x.clone(); x2[:, -1] = torch.randn(2, 32)
    with torch.no_grad():
        a, b = attn(x, am), attn(x2, am)
    print("prefix change when last token changes:", (a[:, 2:-1] - b[:, 2:-1]).abs().max().item())
