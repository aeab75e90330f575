"""Prefill + single-token decode with SDPA for a left-padded prompt batch."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class KVCache:
    def __init__(self):
        self.k = self.v = None

    def update(self, k, v):
        self.k = k if self.k is None else torch.cat([self.k, k], dim=2)
        self.v = v if self.v is None else torch.cat([self.v, v], dim=2)
        return self.k, self.v


class Attn(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    def forward(self, x, keep, cache: KVCache):
        B, T, C = x.shape
        q, k, v = self.wqkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        k, v = cache.update(k, v)
        if T > 1:  # prefill
            out = F.scaled_dot_product_attention(  # expect: ML403
                q, k, v, attn_mask=keep[:, None, None, :], is_causal=True
            )
        else:  # decode: one query sees every cached key
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None, None, :])
        return self.wo(out.transpose(1, 2).reshape(B, T, C))


@torch.no_grad()
def run(attn, emb, head, ids, attention_mask, steps=3):
    cache = KVCache()
    keep = attention_mask.bool()
    h = attn(emb(ids), keep, cache)
    for _ in range(steps):
        nxt = head(h[:, -1:]).argmax(-1)
        keep = torch.cat([keep, keep.new_ones(keep.size(0), 1)], dim=1)
        h = attn(emb(nxt), keep, cache)
        ids = torch.cat([ids, nxt], dim=1)
    return ids


if __name__ == "__main__":
    from torch.nn.attention import SDPBackend, sdpa_kernel
    try:
        with sdpa_kernel(SDPBackend.MATH):
            print(run(Attn(), nn.Embedding(30, 32), nn.Linear(32, 30),
                      torch.tensor([[0, 4, 5], [6, 7, 8]]), torch.tensor([[0, 1, 1], [1, 1, 1]])))
    except RuntimeError as e:
        print(e)
