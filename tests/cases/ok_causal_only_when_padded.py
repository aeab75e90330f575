import torch
import torch.nn as nn
import torch.nn.functional as F


class A(nn.Module):
    def __init__(self, seq_len=1024):
        super().__init__()
        self.register_buffer("causal_mask", torch.tril(torch.ones(seq_len, seq_len)).bool())

    def forward(self, q, k, v, attention_mask=None):
        t = q.size(-2)
        mask = self.causal_mask[:t, :t]
        if attention_mask is not None:
            mask = mask & attention_mask[:, None, None, :].bool()
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


class B(nn.Module):
    def forward(self, q, k, v, attention_mask=None):
        mask = None
        if attention_mask is not None:
            t = q.size(-2)
            causal = torch.ones(t, t, dtype=torch.bool, device=q.device).tril()
            mask = causal & attention_mask[:, None, None, :].bool()
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=mask is None)


class C(nn.Module):
    def forward(self, q, k, v, attention_mask=None):
        if attention_mask is None:
            return F.scaled_dot_product_attention(q, k, v, is_causal=True)
        t = q.size(-2)
        causal = torch.ones(t, t, dtype=torch.bool, device=q.device).tril()
        return F.scaled_dot_product_attention(q, k, v, attn_mask=causal & attention_mask[:, None, None, :].bool())
