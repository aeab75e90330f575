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


def prepare_4d(attention_mask, q_len, dtype):
    min_dtype = torch.finfo(dtype).min
    mask = torch.triu(torch.full((q_len, q_len), min_dtype, dtype=dtype), diagonal=1)[None, None]
    if attention_mask is not None:
        mask = mask.masked_fill(attention_mask[:, None, None, :] == 0, min_dtype)
    return mask


class EagerAttention(nn.Module):
    def forward(self, q, k, v, attention_mask=None):
        scores = q @ k.transpose(-1, -2)
        if attention_mask is not None:
            scores = scores + attention_mask
        return scores.softmax(-1) @ v


class HunYuanStyle(nn.Module):
    def __init__(self, vocab=50, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.attn = EagerAttention()

    def forward(self, input_ids, attention_mask=None):
        x = self.emb(input_ids)
        attention_mask = prepare_4d(attention_mask, input_ids.shape[1], x.dtype)
        return self.attn(x, x, x, attention_mask=attention_mask)


class Configurable(nn.Module):
    """Causal or not by configuration: a None mask on the non-causal path is the design."""

    def __init__(self, causal=False, seq_len=16):
        super().__init__()
        self.causal = causal
        self.register_buffer("mask", torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool)))

    def forward(self, q, k, v, att_mask=None):
        if self.causal:
            causal = self.mask[: q.size(-2), : q.size(-2)]
            att_mask = causal if att_mask is None else att_mask & causal
        return F.scaled_dot_product_attention(q, k, v, attn_mask=att_mask)
