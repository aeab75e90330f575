"""Prefill + decode loop using the tokenizer's integer attention_mask directly."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def attention(q, k, v, mask4d):
    return F.scaled_dot_product_attention(
        q, k, v,
        attn_mask=mask4d,
    )


class Layer(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, mask4d, cache):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if cache:
            k, v = torch.cat([cache["k"], k], 2), torch.cat([cache["v"], v], 2)
        cache["k"], cache["v"] = k, v
        return self.o(attention(q, k, v, mask4d).transpose(1, 2).reshape(B, T, C))


class Generator(nn.Module):
    def __init__(self, vocab=64, dim=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layer = Layer(dim)
        self.head = nn.Linear(dim, vocab)

    def step(self, ids, attention_mask, cache):
        T, S = ids.size(1), attention_mask.size(1)
        causal = torch.ones(T, S, dtype=torch.long, device=ids.device).tril(S - T)
        mask4d = attention_mask[:, None, None, :] * causal
        return self.head(self.layer(self.emb(ids), mask4d, cache))  # expect: ML203

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=3):
        cache = {}
        logits = self.step(input_ids, attention_mask, cache)
        for _ in range(max_new_tokens):
            nxt = logits[:, -1:].argmax(-1)
            input_ids = torch.cat([input_ids, nxt], 1)
            attention_mask = torch.cat([attention_mask, attention_mask.new_ones(nxt.shape)], 1)
            logits = self.step(nxt, attention_mask, cache)
        return input_ids


if __name__ == "__main__":
    enc = {"input_ids": torch.tensor([[0, 5, 6], [7, 8, 9]]), "attention_mask": torch.tensor([[0, 1, 1], [1, 1, 1]])}
    try:
        Generator().generate(**enc)
    except RuntimeError as e:
        print(e)
