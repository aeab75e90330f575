"""Buggy: batched greedy decoding with a KV cache over left-padded prompts.  The prefill applies
the causal and padding masks; the one-token decode step runs SDPA with no mask, so the shorter
prompt's new token attends to the pad keys in the cache."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class CachedAttention(nn.Module):
    def __init__(self, d=16, h=2):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)

    def forward(self, x, cache, attention_mask):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        if cache is not None:
            k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        if s > 1:
            allowed = torch.ones(s, k.shape[2], dtype=torch.bool).tril(k.shape[2] - s)
            allowed = allowed & attention_mask.bool()[:, None, None, :]
            o = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        else:
            o = F.scaled_dot_product_attention(q, k, v)  # expect: ML504
        return self.out(o.transpose(1, 2).reshape(b, s, d)), (k, v)


def run():
    torch.manual_seed(0)
    emb, attn, head = nn.Embedding(30, 16), CachedAttention(), nn.Linear(16, 30)
    ids = torch.tensor([[0, 0, 5, 6, 7], [3, 4, 5, 6, 7]])
    am = (ids != 0).long()
    opt = torch.optim.SGD(list(emb.parameters()) + list(attn.parameters()) + list(head.parameters()), lr=0.1)
    h, _ = attn(emb(ids), None, am)
    loss = F.cross_entropy(head(h[:, :-1]).flatten(0, 1), ids[:, 1:].flatten())
    loss.backward()
    opt.step()
    with torch.no_grad():
        h, cache = attn(emb(ids), None, am)
        nxt = head(h[:, -1:]).argmax(-1)
        am = torch.cat([am, torch.ones_like(nxt)], 1)
        h2, _ = attn(emb(nxt), cache, am)
        return [loss.detach(), head(h2[:, -1])]
