"""Buggy: a causal keep mask combined with a padding mask written True = padding, for SDPA
(True = attend); the mask builder is chosen by name at run time, so only the tensors show it:
the sample without padding attends to nothing, the padded ones only to their padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class TinyLM(nn.Module):
    def __init__(self, vocab=30, dim=32, heads=2, max_len=8, masking="causal_pad"):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(max_len, dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, vocab)
        self.heads = heads
        self.build = getattr(self, "_" + masking)

    def _causal_pad(self, ids):
        t = ids.size(1)
        lower = torch.ones(t, t, dtype=torch.bool).tril()
        return lower[None, None] & ids.eq(0)[:, None, None, :]

    def forward(self, ids):
        b, t = ids.shape
        x = self.emb(ids) + self.pos(torch.arange(t))
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.build(ids),  # expect: ML102
                                           dropout_p=0.1 if self.training else 0.0)
        return self.out(y.transpose(1, 2).reshape(b, t, -1))


def run():
    torch.manual_seed(0)
    model = TinyLM()
    ids = torch.randint(1, 30, (3, 8))
    ids[0, 5:] = 0
    ids[2, 3:] = 0
    logits = model(ids)
    F.cross_entropy(logits[:, :-1].reshape(-1, 30), ids[:, 1:].reshape(-1), ignore_index=0).backward()
    with torch.no_grad():
        ev = model.eval()(ids)
    return logits.detach(), ev
