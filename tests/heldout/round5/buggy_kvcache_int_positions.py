"""Greedy decoding with a KV cache; the attention mask is rebuilt from absolute positions."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CachedAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.wq, self.wk, self.wv, self.wo = (nn.Linear(dim, dim, bias=False) for _ in range(4))

    def forward(self, x, cache, start_pos):
        B, T, C = x.shape
        split = lambda t: t.view(B, -1, self.h, C // self.h).transpose(1, 2)
        q, k, v = split(self.wq(x)), split(self.wk(x)), split(self.wv(x))
        if cache is not None:
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        q_pos = torch.arange(start_pos, start_pos + T, device=x.device)
        k_pos = torch.arange(k.size(2), device=x.device)
        allowed = (k_pos[None, :] <= q_pos[:, None]).to(torch.int32)
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=allowed,  # expect: ML203
        )
        return self.wo(y.transpose(1, 2).reshape(B, T, C)), (k, v)


class TinyDecoder(nn.Module):
    def __init__(self, vocab=256, dim=64, heads=4, n_layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(CachedAttention(dim, heads) for _ in range(n_layers))
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids, caches=None, start_pos=0):
        x = self.emb(ids)
        caches = caches or [None] * len(self.layers)
        new = []
        for layer, c in zip(self.layers, caches):
            h, c = layer(x, c, start_pos)
            x = x + h
            new.append(c)
        return self.head(x), new


@torch.no_grad()
def greedy(model, prompt, max_new=8):
    logits, caches = model(prompt)
    out = [prompt]
    pos = prompt.size(1)
    for _ in range(max_new):
        nxt = logits[:, -1:].argmax(-1)
        out.append(nxt)
        logits, caches = model(nxt, caches, pos)
        pos += 1
    return torch.cat(out, 1)


if __name__ == "__main__":
    try:
        print(greedy(TinyDecoder(), torch.randint(0, 256, (1, 5))))
    except RuntimeError as e:
        print("error:", str(e)[:80])
