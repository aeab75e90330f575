# EXPECT: bug KV-cache decoding calls SDPA with is_causal=True for 1-token steps (1 query vs many cached keys); SDPA's causal mask is upper-left aligned, so the new token only sees cache position 0
"""GPT with a key/value cache and greedy generation loop.

Training uses full sequences; generation does a prefill of the prompt and then
one token per step, reusing cached keys/values.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class KVCache:
    def __init__(self, n_layer):
        self.k = [None] * n_layer
        self.v = [None] * n_layer

    def update(self, layer_idx, k, v):
        if self.k[layer_idx] is not None:
            k = torch.cat([self.k[layer_idx], k], dim=2)
            v = torch.cat([self.v[layer_idx], v], dim=2)
        self.k[layer_idx], self.v[layer_idx] = k, v
        return k, v


class Attention(nn.Module):
    def __init__(self, d_model, n_head, dropout, layer_idx):
        super().__init__()
        self.n_head = n_head
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.dropout = dropout
        self.layer_idx = layer_idx

    def forward(self, x, cache=None):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, -1).transpose(1, 2)
        k = k.view(B, T, self.n_head, -1).transpose(1, 2)
        v = v.view(B, T, self.n_head, -1).transpose(1, 2)
        if cache is not None:
            k, v = cache.update(self.layer_idx, k, v)
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0.0, is_causal=True)  # BUG-SITE
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    def __init__(self, d_model, n_head, dropout, layer_idx):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = Attention(d_model, n_head, dropout, layer_idx)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        self.drop = nn.Dropout(dropout)

    def forward(self, x, cache=None):
        x = x + self.drop(self.attn(self.ln1(x), cache))
        return x + self.drop(self.mlp(self.ln2(x)))


class GPT(nn.Module):
    def __init__(self, vocab=48, d_model=32, n_head=4, n_layer=2, max_len=32, dropout=0.1):
        super().__init__()
        self.n_layer = n_layer
        self.wte = nn.Embedding(vocab, d_model)
        self.wpe = nn.Embedding(max_len, d_model)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block(d_model, n_head, dropout, i) for i in range(n_layer)])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab, bias=False)

    def forward(self, idx, cache=None, start_pos=0):
        T = idx.size(1)
        pos = torch.arange(start_pos, start_pos + T)
        x = self.drop(self.wte(idx) + self.wpe(pos))
        for blk in self.blocks:
            x = blk(x, cache)
        return self.head(self.ln_f(x))

    @torch.no_grad()
    def generate(self, prompt, max_new_tokens):
        cache = KVCache(self.n_layer)
        logits = self(prompt, cache, 0)
        pos = prompt.size(1)
        out, step_logits = [prompt], []
        nxt = logits[:, -1:].argmax(-1)
        for _ in range(max_new_tokens):
            out.append(nxt)
            logits = self(nxt, cache, pos)
            step_logits.append(logits[:, -1])
            pos += 1
            nxt = logits[:, -1:].argmax(-1)
        return torch.cat(out, dim=1), torch.stack(step_logits, 1)


def run():
    torch.manual_seed(0)
    model = GPT()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    data = torch.randint(0, 48, (4, 17))
    x, y = data[:, :-1], data[:, 1:]

    model.train()
    logits = model(x)
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        tokens, step_logits = model.generate(x[:2, :8], max_new_tokens=6)
    return [loss.detach(), *grads, tokens, step_logits]
