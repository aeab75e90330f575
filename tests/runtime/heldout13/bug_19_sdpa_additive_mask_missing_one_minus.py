# EXPECT: bug
"""Retrieval encoder on SDPA that converts the tokenizer mask to an additive
mask as attention_mask * finfo.min (the "1 -" is missing): real tokens get
finfo.min, padding gets 0, so the model attends only to padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def get_extended_attention_mask(attention_mask, dtype):
    ext = attention_mask[:, None, None, :].to(dtype)
    return ext * torch.finfo(dtype).min


class EncoderLayer(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h, self.p = h, p
        self.in_proj = nn.Linear(d, 3 * d)
        self.out_proj = nn.Linear(d, d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x, ext_mask):
        B, S, D = x.shape
        q, k, v = self.in_proj(x).view(B, S, 3, self.h, D // self.h).unbind(2)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=ext_mask,  # BUG-SITE
                                             dropout_p=self.p if self.training else 0.0)
        x = self.n1(x + self.out_proj(ctx.transpose(1, 2).reshape(B, S, D)))
        return self.n2(x + self.ff(x))


class DualEncoder(nn.Module):
    def __init__(self, vocab=200, d=32, h=4, n=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(EncoderLayer(d, h, p) for _ in range(n))

    def encode(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        ext = get_extended_attention_mask(attention_mask, x.dtype)
        for layer in self.layers:
            x = layer(x, ext)
        m = attention_mask[..., None].to(x.dtype)
        return F.normalize((x * m).sum(1) / m.sum(1), dim=-1)


def tokenize(lengths, L, gen):
    ids = torch.zeros(len(lengths), L, dtype=torch.long)
    am = torch.zeros(len(lengths), L, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(1, 200, (n,), generator=gen)
        am[i, :n] = 1
    return {"input_ids": ids, "attention_mask": am}


def run():
    torch.manual_seed(19)
    gen = torch.Generator().manual_seed(3)
    queries = tokenize([5, 8, 3, 8, 6], 8, gen)
    docs = tokenize([10, 7, 10, 4, 9], 10, gen)
    model = DualEncoder()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    qe, de = model.encode(**queries), model.encode(**docs)
    loss = F.cross_entropy(qe @ de.t() / 0.05, torch.arange(5))
    opt.zero_grad()
    loss.backward()
    g = model.emb.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        sims = model.encode(**queries) @ model.encode(**docs).t()
    return [loss.detach(), g, sims]
