"""Decoder-only text model with KV cache and greedy generation (Llama-4 style text stack)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def build_causal_float_mask(attention_mask, q_len, past_len, dtype):
    """Returns an additive (B, 1, q_len, kv_len) mask: 0 keep, finfo.min masked."""
    bsz, kv_len = attention_mask.shape
    min_val = torch.finfo(dtype).min
    q_pos = torch.arange(past_len, past_len + q_len)[:, None]
    k_pos = torch.arange(kv_len)[None, :]
    causal = k_pos <= q_pos
    keep = causal[None, None] & attention_mask[:, None, None, :].bool()
    mask = torch.full((bsz, 1, q_len, kv_len), min_val, dtype=dtype)
    return mask.masked_fill(keep, 0.0)


class TextAttention(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n_heads, self.hd = n_heads, dim // n_heads
        self.q_proj = nn.Linear(dim, dim, bias=False)
        self.k_proj = nn.Linear(dim, dim, bias=False)
        self.v_proj = nn.Linear(dim, dim, bias=False)
        self.o_proj = nn.Linear(dim, dim, bias=False)

    def forward(self, x, attn_mask, past=None):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.n_heads, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.n_heads, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.n_heads, self.hd).transpose(1, 2)
        if past is not None:
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        sdpa_mask = attn_mask == 0
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=sdpa_mask)
        return self.o_proj(out.transpose(1, 2).reshape(b, t, -1)), (k, v)


class TextModel(nn.Module):
    def __init__(self, vocab=128, dim=64, n_heads=4, n_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(TextAttention(dim, n_heads) for _ in range(n_layers))
        self.norm = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask, past_key_values=None):
        past_len = 0 if past_key_values is None else past_key_values[0][0].shape[2]
        h = self.embed(input_ids)
        mask = build_causal_float_mask(attention_mask, input_ids.shape[1], past_len, h.dtype)
        new_cache = []
        for i, layer in enumerate(self.layers):
            past = None if past_key_values is None else past_key_values[i]
            out, kv = layer(h, mask, past)
            h = h + out
            new_cache.append(kv)
        return self.lm_head(self.norm(h)), new_cache

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=5):
        logits, cache = self(input_ids, attention_mask)
        out = [input_ids]
        for step in range(max_new_tokens):
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            out.append(nxt)
            attention_mask = torch.cat([attention_mask, attention_mask.new_ones(nxt.shape)], dim=1)
            logits, cache = self(nxt, attention_mask, past_key_values=cache)
        return torch.cat(out, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = TextModel().eval()
    ids = torch.randint(0, 128, (2, 6))
    am = torch.ones_like(ids)
    with torch.no_grad():
        full, _ = m(ids, am)
        pre, _ = m(ids[:, :3], am[:, :3])
    print("prefix consistent:", torch.allclose(full[:, :3], pre, atol=1e-5))
    print(m.generate(ids, am).shape)
