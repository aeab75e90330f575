# EXPECT: bug
"""Session-based recommender (BERT4Rec/SASRec hybrid) with SDPA and an additive mask that
combines item padding with causality."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SessionBlock(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Dropout(p), nn.Linear(2 * d, d))
        self.p = p

    def forward(self, x, attn_bias):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).reshape(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias, dropout_p=self.p if self.training else 0.0)  # BUG-SITE
        x = x + self.o(a.transpose(1, 2).reshape(B, T, D))
        return x + self.ff(self.ln2(x))


class SessionRec(nn.Module):
    def __init__(self, n_items=40, d=32, heads=2, layers=2, max_len=10, p=0.2):
        super().__init__()
        self.item_emb = nn.Embedding(n_items + 1, d, padding_idx=0)
        self.pos_emb = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList([SessionBlock(d, heads, p) for _ in range(layers)])
        self.drop = nn.Dropout(p)
        self.register_buffer("causal_bias", torch.triu(torch.full((max_len, max_len), float("-inf")), diagonal=1))

    def attention_bias(self, item_mask):
        T = item_mask.size(1)
        pad_bias = item_mask[:, None, None, :].float() * -1e4     # (B, 1, 1, T)
        return pad_bias + self.causal_bias[:T, :T]

    def forward(self, items):
        item_mask = items.ne(0)
        x = self.drop(self.item_emb(items) + self.pos_emb(torch.arange(items.size(1))))
        bias = self.attention_bias(item_mask)
        for blk in self.blocks:
            x = blk(x, bias)
        return x @ self.item_emb.weight.t()


def run():
    torch.manual_seed(0)
    model = SessionRec()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sess = torch.randint(1, 41, (4, 11))
    sess[0, :3] = 0     # left padding
    sess[2, :6] = 0
    inp, nxt = sess[:, :-1], sess[:, 1:]
    model.train()
    logits = model(inp)
    loss = F.cross_entropy(logits.reshape(-1, 41), nxt.reshape(-1), ignore_index=0)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(inp)[:, -1]
    return [loss.detach(), ev]
