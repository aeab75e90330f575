# EXPECT: bug the prefix-LM mask makes the bidirectional region depend on the query index (q < prefix_len) instead of the key index, so prefix positions attend to the whole target continuation, which leaks into the target tokens' predictions in later layers.
"""Imitates a prefix-LM / UniLM / PaliGemma-style decoder (bidirectional attention
over the prefix, causal over the suffix) with per-sample prefix lengths, loss on
the suffix only, and a greedy completion loop."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_prefix_lm_mask(prefix_len, seq_len):
    """Bool [B, 1, T, T] mask for SDPA, True = may attend."""
    q_idx = torch.arange(seq_len)[:, None]
    kv_idx = torch.arange(seq_len)[None, :]
    causal = kv_idx <= q_idx
    bidirectional = q_idx[None] < prefix_len[:, None, None]
    return (causal[None] | bidirectional).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(dropout))

    def forward(self, x, mask):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(  # BUG-SITE
            q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0
        )
        x = x + self.proj(a.transpose(1, 2).reshape(B, T, D))
        return x + self.mlp(self.ln2(x))


class PrefixLM(nn.Module):
    def __init__(self, vocab=36, d=32, heads=4, layers=2, max_len=16, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block(d, heads, dropout) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids, prefix_len):
        T = ids.size(1)
        mask = make_prefix_lm_mask(prefix_len, T)
        x = self.drop(self.tok(ids) + self.pos(torch.arange(T)))
        for blk in self.blocks:
            x = blk(x, mask)
        return self.head(self.ln_f(x))


@torch.no_grad()
def complete(model, prefix, prefix_len, steps=4):
    ids = prefix
    for _ in range(steps):
        logits = model(ids, prefix_len)
        ids = torch.cat([ids, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    return ids, logits


def run():
    torch.manual_seed(0)
    model = PrefixLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(31)
    ids = torch.randint(0, 36, (4, 12), generator=g)
    prefix_len = torch.tensor([4, 6, 3, 8])
    labels = ids.clone()
    labels[torch.arange(12)[None] < prefix_len[:, None]] = -100  # loss on the suffix only

    model.train()
    logits = model(ids, prefix_len)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 36), labels[:, 1:].reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    prefixes = torch.randint(0, 36, (3, 6), generator=g)
    out, last_logits = complete(model, prefixes, torch.tensor([6, 6, 6]))
    return [loss.detach(), *grads, out, last_logits]
