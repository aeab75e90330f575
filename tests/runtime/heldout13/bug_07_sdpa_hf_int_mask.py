# EXPECT: bug
"""BERT-like encoder written on F.scaled_dot_product_attention that broadcasts
the tokenizer's int64 attention_mask to (B, 1, 1, S) and passes it as
attn_mask.  SDPA accepts bool or float masks only: it raises."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, hidden, heads, p):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.o = nn.Linear(hidden, hidden)
        self.p = p

    def forward(self, x, attention_mask):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        ext = attention_mask[:, None, None, :]
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=ext,  # BUG-SITE
                                             dropout_p=self.p if self.training else 0.0)
        return self.o(ctx.transpose(1, 2).reshape(B, S, D))


class MiniBert(nn.Module):
    def __init__(self, vocab=120, hidden=32, heads=4, layers=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.attn = nn.ModuleList(SelfAttention(hidden, heads, p) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))
        self.mlm = nn.Linear(hidden, vocab)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        for attn, norm in zip(self.attn, self.norms):
            x = norm(x + attn(x, attention_mask))
        return self.mlm(x)


def run():
    torch.manual_seed(6)
    ids = torch.randint(5, 120, (3, 9))
    mask = torch.tensor([[1] * 9, [1] * 5 + [0] * 4, [1] * 7 + [0] * 2])
    labels = ids.masked_fill(mask == 0, -100)
    model = MiniBert()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    logits = model(ids, mask)
    loss = F.cross_entropy(logits.view(-1, 120), labels.view(-1))
    opt.zero_grad()
    loss.backward()
    g = model.emb.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        out = model(ids, mask)
    return [loss.detach(), g, out]
