# EXPECT: ok
"""KV-cache decoding of a chunk of 3 tokens after a 6-token prefill.  When the
query count differs from the key count the layer builds an explicit
bottom-right causal mask (tril with diagonal S - L); is_causal is used only
when L == S.  The chunk's logits equal those of a full forward pass."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def bottom_right_causal(L, S):
    return torch.ones(L, S, dtype=torch.bool).tril(diagonal=S - L)


class CachedSelfAttention(nn.Module):
    def __init__(self, d, n_heads, p):
        super().__init__()
        self.n_heads, self.p = n_heads, p
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)

    def forward(self, x, layer_past=None):
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.n_heads, -1).transpose(1, 2) for t in self.c_attn(x).split(C, 2))
        if layer_past is not None:
            k = torch.cat((layer_past[0], k), dim=-2)
            v = torch.cat((layer_past[1], v), dim=-2)
        L, S = q.size(-2), k.size(-2)
        mask = None if L == S else bottom_right_causal(L, S)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=mask is None,
                                           dropout_p=self.p if self.training else 0.0)
        return self.c_proj(y.transpose(1, 2).reshape(B, T, C)), (k, v)


class GPTish(nn.Module):
    def __init__(self, vocab=66, d=32, heads=4, n=2, p=0.1):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(32, d)
        self.h = nn.ModuleList(CachedSelfAttention(d, heads, p) for _ in range(n))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(n))
        self.drop = nn.Dropout(p)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, past=None):
        start = 0 if past is None else past[0][0].size(-2)
        x = self.drop(self.wte(ids) + self.wpe(torch.arange(start, start + ids.size(1))))
        presents = []
        for i, (blk, ln) in enumerate(zip(self.h, self.ln)):
            a, kv = blk(ln(x), None if past is None else past[i])
            x = x + a
            presents.append(kv)
        return self.head(x), presents


def run():
    torch.manual_seed(102)
    ids = torch.randint(0, 66, (2, 10))
    model = GPTish()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    logits, _ = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 66), ids[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.head.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        _, cache = model(ids[:, :6])
        chunk, _ = model(ids[:, 6:9], past=cache)
        full, _ = model(ids[:, :9])
    return [loss.detach(), g, chunk, full[:, 6:9]]
