"""Falcon-style batched generation with left padding: prefill mask, KV cache, decode loop."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def prepare_4d_causal_mask(attention_mask, q_len, past_len, dtype):
    """Additive mask, finfo.min where blocked; shape (B, 1, q, kv)."""
    kv_len = past_len + q_len
    min_val = torch.finfo(dtype).min
    causal = torch.full((q_len, kv_len), min_val, dtype=dtype).triu(past_len + 1)
    expanded = (1.0 - attention_mask[:, None, None, :].to(dtype)) * min_val
    mask = causal[None, None] + expanded
    mask = mask.clamp(min=min_val)
    # rows that are fully masked (left-padding queries) would make SDPA's fused kernels return NaN:
    # let them attend everywhere instead; their outputs are never used
    fully_masked = (mask == min_val).all(dim=-1, keepdim=True)
    return mask.masked_fill(fully_masked, 0.0)


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.dense = nn.Linear(dim, dim, bias=False)

    def forward(self, x, mask, past=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if past is not None:
            k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.dense(out.transpose(1, 2).reshape(b, t, d)), (k, v)


class FalconLM(nn.Module):
    def __init__(self, vocab=64, dim=32, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList(Attention(dim, heads) for _ in range(layers))
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids, attention_mask, past_key_values=None):
        past_len = 0 if past_key_values is None else past_key_values[0][0].shape[2]
        h = self.emb(ids)
        mask = prepare_4d_causal_mask(attention_mask, ids.shape[1], past_len, h.dtype)
        cache = []
        for i, blk in enumerate(self.blocks):
            a, kv = blk(h, mask, None if past_key_values is None else past_key_values[i])
            h = h + a
            cache.append(kv)
        return self.lm_head(h), cache

    @torch.no_grad()
    def generate(self, ids, attention_mask, max_new_tokens=4):
        logits, cache = self(ids, attention_mask)
        for step in range(max_new_tokens):
            nxt = logits[:, -1:].argmax(-1)
            ids = torch.cat([ids, nxt], 1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], 1)
            logits, cache = self(nxt, attention_mask, cache)
        return ids


if __name__ == "__main__":
    torch.manual_seed(0)
    m = FalconLM().eval()
    ids = torch.tensor([[0, 0, 0, 4, 5], [6, 7, 8, 9, 10]])
    am = torch.tensor([[0, 0, 0, 1, 1], [1, 1, 1, 1, 1]])
    logits, _ = m(ids, am)
    print("finite:", torch.isfinite(logits).all().item(), m.generate(ids, am).shape)
