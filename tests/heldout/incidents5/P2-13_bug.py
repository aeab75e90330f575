"""Falcon-style decoder with rotary-free attention, KV cache and batched generation."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def prepare_attn_mask(attention_mask, q_len, past_len):
    """Additive (B, 1, q, kv) mask: 0 = attend, -1e9 = blocked."""
    kv_len = attention_mask.shape[1]
    causal = torch.ones(q_len, kv_len, dtype=torch.bool).tril(past_len)
    keep = causal[None, None] & attention_mask[:, None, None, :].bool()
    return torch.zeros(keep.shape).masked_fill(~keep, -1e9)


class FalconAttention(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n_heads, self.hd = n_heads, dim // n_heads
        self.query_key_value = nn.Linear(dim, 3 * dim, bias=False)
        self.dense = nn.Linear(dim, dim, bias=False)

    def forward(self, x, attention_mask, layer_past=None):
        b, t, d = x.shape
        q, k, v = self.query_key_value(x).view(b, t, 3, self.n_heads, self.hd).permute(2, 0, 3, 1, 4)
        if layer_past is not None:
            k = torch.cat([layer_past[0], k], dim=2)
            v = torch.cat([layer_past[1], v], dim=2)
        attention_mask_float = attention_mask.to(torch.bfloat16)  # BUG
        if layer_past is None:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=True)  # BUG
        else:
            scores = (q @ k.transpose(-1, -2)) / self.hd ** 0.5 + attention_mask_float  # BUG
            out = scores.softmax(-1) @ v
        return self.dense(out.transpose(1, 2).reshape(b, t, d)), (k, v)


class FalconForCausalLM(nn.Module):
    def __init__(self, vocab=100, dim=32, n_heads=4, n_layers=2):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, dim)
        self.h = nn.ModuleList(FalconAttention(dim, n_heads) for _ in range(n_layers))
        self.ln_f = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask, past_key_values=None):
        past_len = 0 if past_key_values is None else past_key_values[0][0].shape[2]
        mask = prepare_attn_mask(attention_mask, input_ids.shape[1], past_len)
        x = self.word_embeddings(input_ids)
        presents = []
        for i, block in enumerate(self.h):
            a, kv = block(x, mask, None if past_key_values is None else past_key_values[i])
            x = x + a
            presents.append(kv)
        return self.lm_head(self.ln_f(x)), presents

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=4):
        logits, past = self(input_ids, attention_mask)
        tokens = [input_ids]
        for step in range(max_new_tokens):
            nxt = logits[:, -1:].argmax(-1)
            tokens.append(nxt)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], dim=1)
            logits, past = self(nxt, attention_mask, past)
        return torch.cat(tokens, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = FalconForCausalLM().eval()
    ids = torch.tensor([[0, 0, 5, 6, 7], [1, 2, 3, 4, 5]])
    am = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
    with torch.no_grad():
        padded, _ = m(ids, am)
        alone, _ = m(ids[:1, 2:], am[:1, 2:])
    print("left padding ok:", torch.allclose(padded[0, 2:], alone[0], atol=1e-4))
    print(m.generate(ids, am).shape)
