"""Search-query intent classifier; attention kwargs are forwarded through a generic wrapper."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


def sdpa_attention_forward(module, query, key, value, attention_mask=None, dropout=0.0, **kwargs):
    """query/key/value: (B, H, S, D); attention_mask: (B, 1, 1|S, S) bool, True = attend."""
    out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask,
                                         dropout_p=dropout if module.training else 0.0)
    return out.transpose(1, 2).contiguous()


class IntentAttention(nn.Module):
    def __init__(self, dim, heads, attn_fn=sdpa_attention_forward):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(dim, dim) for _ in range(4))
        self.attn_fn = functools.partial(attn_fn, self, dropout=0.1)

    def forward(self, x, **attn_kwargs):
        B, S, D = x.shape
        sh = lambda t: t.view(B, S, self.heads, -1).transpose(1, 2)
        out = self.attn_fn(sh(self.q(x)), sh(self.k(x)), sh(self.v(x)), **attn_kwargs)
        return self.o(out.reshape(B, S, D))


class IntentModel(nn.Module):
    def __init__(self, vocab=20000, dim=128, heads=4, n_intents=12):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.attn = IntentAttention(dim, heads)
        self.norm = nn.LayerNorm(dim)
        self.cls = nn.Linear(dim, n_intents)

    def forward(self, batch):
        keep = batch["attention_mask"].to(torch.bool)[:, None, None, :]
        x = self.emb(batch["input_ids"])
        x = self.norm(x + self.attn(x, attention_mask=keep))
        m = batch["attention_mask"].unsqueeze(-1).float()
        return self.cls((x * m).sum(1) / m.sum(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = {"input_ids": torch.randint(1, 20000, (5, 16)), "attention_mask": torch.ones(5, 16, dtype=torch.int64)}
    batch["attention_mask"][0, 4:] = 0
    batch["attention_mask"][3, 9:] = 0
    model = IntentModel()
    loss = F.cross_entropy(model(batch), torch.randint(0, 12, (5,)))
    loss.backward()
    print("intent loss", round(loss.item(), 4))
