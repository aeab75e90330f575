# EXPECT: bug the Mistral-style sliding-window bias is built from |i - j| < window (a symmetric band) instead of 0 <= i - j < window, so a causal LM attends up to window-1 future tokens.
"""Imitates Mistral / Longformer-style local attention in a decoder-only LM: the
sliding-window additive bias is built with torch.where and cached on the module,
then handed to F.scaled_dot_product_attention as a float attn_mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def sliding_window_bias(seq_len, window, dtype=torch.float32):
    i = torch.arange(seq_len)[:, None]
    j = torch.arange(seq_len)[None, :]
    in_window = (i - j).abs() < window
    return torch.where(in_window, 0.0, torch.finfo(dtype).min).to(dtype)


class MistralAttention(nn.Module):
    def __init__(self, hidden, heads, kv_heads, dropout):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, hidden // heads
        self.q_proj = nn.Linear(hidden, heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)
        self.dropout = dropout

    def forward(self, x, bias):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.kv_heads, self.head_dim).transpose(1, 2)
        rep = self.heads // self.kv_heads
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
        out = F.scaled_dot_product_attention(  # BUG-SITE
            q, k, v, attn_mask=bias, dropout_p=self.dropout if self.training else 0.0
        )
        return self.o_proj(out.transpose(1, 2).reshape(B, T, -1))


class Layer(nn.Module):
    def __init__(self, hidden, heads, kv_heads, dropout):
        super().__init__()
        self.n1 = nn.LayerNorm(hidden)
        self.attn = MistralAttention(hidden, heads, kv_heads, dropout)
        self.n2 = nn.LayerNorm(hidden)
        self.mlp = nn.Sequential(nn.Linear(hidden, 2 * hidden), nn.SiLU(), nn.Linear(2 * hidden, hidden))
        self.drop = nn.Dropout(dropout)

    def forward(self, x, bias):
        x = x + self.drop(self.attn(self.n1(x), bias))
        return x + self.drop(self.mlp(self.n2(x)))


class LocalLM(nn.Module):
    def __init__(self, vocab=32, hidden=32, heads=4, kv_heads=2, layers=2, window=4, max_len=16, dropout=0.1):
        super().__init__()
        self.window = window
        self.embed = nn.Embedding(vocab, hidden)
        self.pos = nn.Embedding(max_len, hidden)
        self.layers = nn.ModuleList([Layer(hidden, heads, kv_heads, dropout) for _ in range(layers)])
        self.norm = nn.LayerNorm(hidden)
        self.lm_head = nn.Linear(hidden, vocab, bias=False)
        self._bias_cache = {}

    def get_bias(self, T):
        if T not in self._bias_cache:
            self._bias_cache[T] = sliding_window_bias(T, self.window)
        return self._bias_cache[T]

    def forward(self, ids):
        T = ids.size(1)
        x = self.embed(ids) + self.pos(torch.arange(T))
        bias = self.get_bias(T)
        for layer in self.layers:
            x = layer(x, bias)
        return self.lm_head(self.norm(x))


def run():
    torch.manual_seed(0)
    model = LocalLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(41)
    data = torch.randint(0, 32, (4, 15), generator=g)

    model.train()
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 32), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        ids = torch.randint(0, 32, (2, 5), generator=g)
        for _ in range(5):
            nxt = model(ids)[:, -1].argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], dim=1)
        eval_logits = model(ids)
    return [loss.detach(), *grads, ids, eval_logits]
