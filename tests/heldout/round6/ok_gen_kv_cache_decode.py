"""KV-cache generation without padding: is_causal only for the prefill, none for 1-token steps."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, past_key_value=None):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if past_key_value is not None:
            k = torch.cat([past_key_value[0], k], dim=2)
            v = torch.cat([past_key_value[1], v], dim=2)
        # prefill: square causal; decode (T == 1): the new token may see the whole cache
        y = F.scaled_dot_product_attention(q, k, v, is_causal=past_key_value is None and T > 1)
        return self.o(y.transpose(1, 2).reshape(B, T, C)), (k, v)


class LM(nn.Module):
    def __init__(self, vocab=40, dim=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.attn = Attention(dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids, past_key_values=None):
        h, kv = self.attn(self.emb(ids), past_key_values)
        return self.head(h), kv


@torch.no_grad()
def generate(model, ids, max_new_tokens=4):
    logits, past = model(ids)
    for _ in range(max_new_tokens):
        nxt = logits[:, -1:].argmax(-1)
        ids = torch.cat([ids, nxt], dim=1)
        logits, past = model(nxt, past)
    return ids


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = LM()
    out = generate(lm, torch.tensor([[3, 4, 5]]))
    with torch.no_grad():  # no-cache recomputation must pick the same tokens
        ids = out[:, :3]
        for _ in range(4):
            ids = torch.cat([ids, lm(ids)[0][:, -1:].argmax(-1)], 1)
    assert torch.equal(ids, out)
    print("cache ok", out.tolist())
