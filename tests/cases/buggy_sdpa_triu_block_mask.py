"""Multi-head attention rewritten on top of scaled_dot_product_attention (P1-1 pattern).

The masks keep the nn.MultiheadAttention convention (True above the diagonal = hidden), but
SDPA attends where True: each token sees only its future, plus nothing on the diagonal.
One mask is built inline in forward, the other is a module-level constant.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CONTEXT_LENGTH = 1024
LOOKAHEAD = torch.triu(torch.ones(CONTEXT_LENGTH, CONTEXT_LENGTH), diagonal=1).bool()


class MHAPyTorchSDPA(nn.Module):
    def __init__(self, d_in, d_out, num_heads, dropout=0.0, qkv_bias=False):
        super().__init__()
        assert d_out % num_heads == 0
        self.num_heads = num_heads
        self.head_dim = d_out // num_heads
        self.d_out = d_out
        self.qkv = nn.Linear(d_in, 3 * d_out, bias=qkv_bias)
        self.proj = nn.Linear(d_out, d_out)
        self.dropout = dropout

    def forward(self, x):
        batch_size, num_tokens, embed_dim = x.shape
        qkv = self.qkv(x).view(batch_size, num_tokens, 3, self.num_heads, self.head_dim)
        queries, keys, values = qkv.permute(2, 0, 3, 1, 4)
        use_dropout = self.dropout if self.training else 0.0
        mask = torch.triu(torch.ones(num_tokens, num_tokens, device=x.device), diagonal=1).bool()
        context = F.scaled_dot_product_attention(
            queries, keys, values,
            attn_mask=mask,  # expect: ML102
            dropout_p=use_dropout,
        )
        context = context.transpose(1, 2).contiguous().view(batch_size, num_tokens, self.d_out)
        return self.proj(context)


class CachedMaskAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.num_heads, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=LOOKAHEAD[:T, :T].to(x.device))  # expect: ML102
        return self.proj(y.transpose(1, 2).reshape(B, T, C))
