"""Speculative decoding: the target model scores k draft tokens against its cache in one pass."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


class TargetAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, cache):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if cache:
            k, v = torch.cat([cache["k"], k], 2), torch.cat([cache["v"], v], 2)
        S = k.size(2)
        # the k draft queries sit at the end of the key sequence: align the triangle bottom-right
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_lower_right(T, S))
        return self.o(y.transpose(1, 2).reshape(B, T, C)), {"k": k, "v": v}


class Target(nn.Module):
    def __init__(self, vocab=30, dim=32):
        super().__init__()
        self.emb, self.attn, self.head = nn.Embedding(vocab, dim), TargetAttention(dim), nn.Linear(dim, vocab)

    def forward(self, ids, cache=None):
        h, cache = self.attn(self.emb(ids), cache or {})
        return self.head(h), cache


@torch.no_grad()
def verify(target, prefix, draft):
    _, cache = target(prefix)
    logits, _ = target(draft, cache)
    accepted = 0
    for i in range(draft.size(1) - 1):
        if logits[0, i].argmax() != draft[0, i + 1]:
            break
        accepted += 1
    return logits, accepted


if __name__ == "__main__":
    torch.manual_seed(0)
    tgt = Target()
    prefix, draft = torch.tensor([[1, 2, 3]]), torch.tensor([[4, 5, 6]])
    logits, _ = verify(tgt, prefix, draft)
    with torch.no_grad():
        full, _ = tgt(torch.cat([prefix, draft], 1))
    assert torch.allclose(logits, full[:, 3:], atol=1e-5)
    print("draft verification matches full pass")
