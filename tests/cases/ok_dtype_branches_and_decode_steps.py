"""Branches a mask's dtype or the query length decide: a helper that branches on the mask's dtype
runs only the branch for the dtype the caller converted it to; a decode step of one query, or the
last position's query, needs no causal mask; a KV-cache helper that compares the query and key
lengths builds its own bottom-right mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def to_4d(attention_mask, q_len, dtype):
    causal = torch.ones(q_len, q_len, dtype=torch.bool).tril()
    if attention_mask.dtype == torch.bool:
        return causal[None, None] & attention_mask[:, None, None, :]
    if attention_mask.is_floating_point():
        keep = causal[None, None] & (attention_mask[:, None, None, :] != 0)
        return torch.zeros(keep.shape, dtype=dtype).masked_fill(~keep, torch.finfo(dtype).min)
    return attention_mask[:, None, None, :] * causal[None, None].to(attention_mask.dtype)


def attend(q, k, v, attention_mask):
    mask = to_4d(attention_mask.to(q.dtype), q.size(-2), q.dtype)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


class StepLM(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.emb = nn.Embedding(100, d)
        self.head = nn.Linear(d, 100)

    def forward(self, ids, past=None):
        x = self.emb(ids)
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        if past is not None:
            k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
        if T > 1:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            y = F.scaled_dot_product_attention(q, k, v)
        return self.head(y.transpose(1, 2).reshape(B, T, D)), (k, v)


@torch.no_grad()
def generate(model, ids, steps=3):
    logits, past = model(ids)
    for _ in range(steps):
        nxt = logits[:, -1:].argmax(-1)
        ids = torch.cat([ids, nxt], 1)
        logits, past = model(nxt, past)
    return ids


def cached_attention(queries, keys, values, is_causal):
    bias = None
    if is_causal and queries.shape[2] != keys.shape[2]:
        S, L = keys.shape[2], queries.shape[2]
        bias = torch.ones(L, S, dtype=torch.bool).tril(diagonal=S - L)
    return F.scaled_dot_product_attention(queries, keys, values, attn_mask=bias, is_causal=bias is None and is_causal)


class DecoderStep(nn.TransformerDecoderLayer):
    def forward(self, tgt, memory, tgt_mask=None, tgt_key_padding_mask=None):
        last = tgt[-1:, :, :]
        out = self.self_attn(last, tgt, tgt, attn_mask=None, key_padding_mask=tgt_key_padding_mask)[0]
        return self.norm1(last + out)


print(generate(StepLM(), torch.tensor([[1, 2, 3]])).shape)
