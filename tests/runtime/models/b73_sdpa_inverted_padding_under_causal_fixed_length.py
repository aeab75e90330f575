"""Buggy: a causal decoder scoring prompts padded to a fixed length (every sample padded on the
right), whose keep mask ANDs the causal rule with `ids == pad` instead of `ids != pad`: each real
query sees no key (its row is empty) and the pads see only pads. The merged mask looks like left
padding under a causal mask; no sample of the batch keeps every query, so it is not padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"
PAD = 0


class PromptScorer(nn.Module):
    def __init__(self, vocab=40, E=16, H=2):
        super().__init__()
        self.h = H
        self.emb = nn.Embedding(vocab, E, padding_idx=PAD)
        self.qkv = nn.Linear(E, 3 * E)
        self.head = nn.Linear(E, vocab)

    def forward(self, ids):
        x = self.emb(ids)
        b, t, e = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        keep = causal & (ids == PAD)[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML601|ML102
        return self.head(y.transpose(1, 2).reshape(b, t, e))


def _setup():
    torch.manual_seed(0)
    ids = torch.tensor([[5, 9, 3, 0, 0, 0, 0, 0], [7, 2, 8, 4, 6, 1, 0, 0]])
    return PromptScorer().eval(), ids


def run():
    m, ids = _setup()
    with torch.no_grad():
        return (m(ids),)


def verify():
    m, ids = _setup()
    with torch.no_grad():
        logits = m(ids)
    real = ids != PAD
    return bool((logits[real] == m.head.bias).all()), "real positions get only the head's bias"
