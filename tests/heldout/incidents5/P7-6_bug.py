"""Gemma-style multimodal decoder: prefill of left-padded prompts then cached decoding."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def build_mask(attention_mask, q_len, past_len):
    kv_len = attention_mask.shape[1]
    causal = torch.arange(kv_len)[None, :] <= torch.arange(past_len, past_len + q_len)[:, None]
    return causal[None, None] & attention_mask[:, None, None, :].bool()  # BUG


class Layer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)
        self.norm = nn.RMSNorm(dim)

    def forward(self, x, mask, past):
        b, t, d = x.shape
        q, k, v = self.qkv(self.norm(x)).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if past is not None:
            k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # BUG
        return x + self.o(out.transpose(1, 2).reshape(b, t, d)), (k, v)


class Decoder(nn.Module):
    def __init__(self, vocab=64, dim=32, heads=4, n_layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(Layer(dim, heads) for _ in range(n_layers))
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids, attention_mask, past_key_values=None):
        past_len = 0 if past_key_values is None else past_key_values[0][0].shape[2]
        mask = build_mask(attention_mask, ids.shape[1], past_len)
        h = self.emb(ids) * self.emb.embedding_dim ** 0.5
        cache = []
        for i, layer in enumerate(self.layers):
            h, kv = layer(h, mask, None if past_key_values is None else past_key_values[i])
            cache.append(kv)
        return self.head(h), cache

    @torch.no_grad()
    def generate(self, ids, attention_mask, max_new_tokens=4):
        logits, cache = self(ids, attention_mask)
        for step in range(max_new_tokens):
            nxt = logits[:, -1:].argmax(-1)
            ids = torch.cat([ids, nxt], 1)
            attention_mask = torch.cat([attention_mask, attention_mask.new_ones(nxt.shape)], 1)
            logits, cache = self(nxt, attention_mask, cache)
        return ids


if __name__ == "__main__":
    torch.manual_seed(0)
    m = Decoder().eval()
    ids = torch.tensor([[0, 0, 0, 7, 8], [3, 4, 5, 6, 7]])
    am = torch.tensor([[0, 0, 0, 1, 1], [1, 1, 1, 1, 1]])
    print(m.generate(ids, am))
