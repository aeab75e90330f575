# EXPECT: bug
"""Prefix-LM (T5/UniLM style) on nn.MultiheadAttention: the prompt prefix is bidirectional,
the continuation is causal. The layer passes is_causal=True as a speed hint."""
import torch
import torch.nn as nn


def prefix_lm_mask(seq_len, prefix_len, device=None):
    """Bool mask in torch's convention (True = may NOT attend)."""
    i = torch.arange(seq_len, device=device)[:, None]
    j = torch.arange(seq_len, device=device)[None, :]
    allowed = (j <= i) | (j < prefix_len)
    return ~allowed


class PrefixLMBlock(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.self_attn = nn.MultiheadAttention(d, h, dropout=p, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(p))

    def forward(self, x, attn_mask):
        y = self.ln1(x)
        y, _ = self.self_attn(y, y, y, attn_mask=attn_mask, need_weights=False, is_causal=True)  # BUG-SITE
        x = x + y
        return x + self.mlp(self.ln2(x))


class PrefixLM(nn.Module):
    def __init__(self, vocab=70, d=32, h=4, n=2, p=0.1, prefix_len=6):
        super().__init__()
        self.prefix_len = prefix_len
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(64, d)
        self.blocks = nn.ModuleList([PrefixLMBlock(d, h, p) for _ in range(n)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        T = ids.size(1)
        x = self.emb(ids) + self.pos(torch.arange(T, device=ids.device))
        mask = prefix_lm_mask(T, self.prefix_len, ids.device)
        for blk in self.blocks:
            x = blk(x, mask)
        return self.head(self.ln_f(x))


def run():
    torch.manual_seed(0)
    model = PrefixLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    ids = torch.randint(0, 70, (3, 14))
    model.train()
    logits = model(ids[:, :-1])
    # loss only on the continuation
    cont = slice(model.prefix_len - 1, None)
    loss = nn.functional.cross_entropy(logits[:, cont].reshape(-1, 70), ids[:, 1:][:, cont].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids[:, :-1])
    return [loss.detach(), ev]
