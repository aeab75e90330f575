"""Tiny decoder-only LM with a KV cache: causal prefill, then one-token decode steps."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.nh = n_heads
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    def forward(self, x, cache=None):
        b, t, d = x.shape
        q, k, v = self.wqkv(x).view(b, t, 3, self.nh, d // self.nh).permute(2, 0, 3, 1, 4)
        if cache is not None:
            if t != 1:
                raise ValueError("cached decoding feeds one token at a time")
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        out = F.scaled_dot_product_attention(q, k, v, is_causal=cache is None)
        return self.wo(out.transpose(1, 2).reshape(b, t, d)), (k, v)


class TinyLM(nn.Module):
    def __init__(self, vocab=512, dim=128, n_heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(Attention(dim, n_heads) for _ in range(depth))
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids, caches=None):
        x = self.emb(ids)
        new = []
        for i, layer in enumerate(self.layers):
            h, kv = layer(x, None if caches is None else caches[i])
            x = x + h
            new.append(kv)
        return self.lm_head(x), new


@torch.no_grad()
def greedy(model, prompt, steps=8):
    logits, caches = model(prompt)
    out = [logits[:, -1].argmax(-1, keepdim=True)]
    for _ in range(steps - 1):
        logits, caches = model(out[-1], caches)
        out.append(logits[:, -1].argmax(-1, keepdim=True))
    return torch.cat([prompt] + out, dim=1)


if __name__ == "__main__":
    model = TinyLM().eval()
    print(greedy(model, torch.randint(0, 512, (2, 10))).shape)
