"""Fast inference path for a Qwen-style decoder: prefill + single-token decode with a KV cache."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class FastAttention(nn.Module):
    def __init__(self, dim=32, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.head_dim = dim // n_heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x, attention_mask, past_kv=None):
        """attention_mask: (b, kv_len) 1 = token, 0 = left padding (covers past + current tokens)."""
        b, q_len, _ = x.shape
        q, k, v = self.qkv(x).view(b, q_len, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        if past_kv is not None:
            k = torch.cat([past_kv[0], k], dim=2)
            v = torch.cat([past_kv[1], v], dim=2)
        scale = 1.0 / math.sqrt(self.head_dim)
        if q_len == 1:
            # decode: one query sees every cached key that is not padding
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask.bool()[:, None, None, :], scale=scale)
        else:
            # prefill
            out = F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=scale)  # BUG: prefill ignores the left-padding mask: padded prompts attend to their pad tokens (and build a wrong cache)
        out = out.transpose(1, 2).reshape(b, q_len, -1)
        return self.o(out), (k, v)


class FastLM(nn.Module):
    def __init__(self, vocab=50, dim=32, n_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList([FastAttention(dim) for _ in range(n_layers)])
        self.norm = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask, past=None):
        h = self.embed(input_ids)
        new_past = []
        for i, layer in enumerate(self.layers):
            out, kv = layer(h, attention_mask, None if past is None else past[i])
            h = h + out
            new_past.append(kv)
        return self.lm_head(self.norm(h)), new_past


@torch.no_grad()
def generate(model, input_ids, attention_mask, max_new_tokens=4):
    logits, past = model(input_ids, attention_mask)
    generated = []
    for _ in range(max_new_tokens):
        next_tok = logits[:, -1:].argmax(-1)
        generated.append(next_tok)
        attention_mask = torch.cat([attention_mask, torch.ones_like(next_tok)], dim=1)
        logits, past = model(next_tok, attention_mask, past)
    return torch.cat(generated, dim=1), logits
