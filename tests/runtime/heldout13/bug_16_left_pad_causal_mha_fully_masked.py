# EXPECT: bug
"""Batched prompt scoring with left padding on nn.MultiheadAttention.  The
per-sample mask (future | padding key) blocks *every* key for the leading pad
queries.  Training (slow path) hides it, but the eval fast path returns NaN for
those rows, and through the values of the next layer NaN reaches every
token of the left-padded samples."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Config(dict):
    __getattr__ = dict.__getitem__


def build_block_mask(attention_mask, num_heads):
    """attention_mask: (N, L) 1 = real token, 0 = left padding -> (N*H, L, L) True = blocked."""
    L = attention_mask.size(1)
    future = torch.ones(L, L, dtype=torch.bool).triu(1)
    pad_key = attention_mask[:, None, :] == 0
    blocked = future[None] | pad_key
    return blocked.repeat_interleave(num_heads, dim=0)


class Layer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.sa = nn.MultiheadAttention(cfg.d, cfg.heads, dropout=cfg.p, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(cfg.d, 2 * cfg.d), nn.SiLU(), nn.Linear(2 * cfg.d, cfg.d))
        self.n1, self.n2 = nn.LayerNorm(cfg.d), nn.LayerNorm(cfg.d)
        self.drop = nn.Dropout(cfg.p)

    def forward(self, x, mask):
        h = self.n1(x)
        x = x + self.drop(self.sa(h, h, h, attn_mask=mask, need_weights=False)[0])  # BUG-SITE
        return x + self.drop(self.ff(self.n2(x)))


class PromptScorer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.emb = nn.Embedding(cfg.vocab, cfg.d)
        self.layers = nn.ModuleList(Layer(cfg) for _ in range(cfg.n_layers))
        self.lm = nn.Linear(cfg.d, cfg.vocab)

    def forward(self, input_ids, attention_mask):
        pos = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        x = self.emb(input_ids) + 0.1 * torch.sin(pos[..., None] / torch.arange(1, self.cfg.d + 1))
        mask = build_block_mask(attention_mask, self.cfg.heads)
        for layer in self.layers:
            x = layer(x, mask)
        return self.lm(x)


def run():
    torch.manual_seed(16)
    cfg = Config(vocab=52, d=32, heads=4, n_layers=2, p=0.1)
    ids = torch.randint(1, 52, (3, 9))
    am = torch.ones(3, 9, dtype=torch.long)
    am[1, :4] = 0  # left padding
    am[2, :1] = 0
    ids = ids * am
    model = PromptScorer(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    logits = model(ids, am)
    labels = ids[:, 1:].masked_fill(am[:, 1:] == 0, -100)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 52), labels.reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.lm.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        last = model(ids, am)[:, -1].log_softmax(-1)
    return [loss.detach(), g, last]
