# EXPECT: ok
"""Llama-style batched generation scoring with left padding.  The 4-D additive
mask is built once with masked_fill(blocked, finfo(dtype).min) (no sums, so no
overflow): leading pad queries see only finfo.min and get a uniform, finite
softmax instead of NaN.  Position ids come from the attention mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def prepare_4d_causal_mask(attention_mask, dtype):
    B, L = attention_mask.shape
    causal = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
    blocked = causal[None, None, :, :] | (attention_mask[:, None, None, :] == 0)
    return torch.zeros(B, 1, L, L, dtype=dtype).masked_fill(blocked, torch.finfo(dtype).min)


def rotate_half(x):
    a, b = x.chunk(2, dim=-1)
    return torch.cat((-b, a), dim=-1)


class LlamaAttention(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.heads, self.hd, self.p = heads, d // heads, p
        self.q_proj = nn.Linear(d, d, bias=False)
        self.k_proj = nn.Linear(d, d, bias=False)
        self.v_proj = nn.Linear(d, d, bias=False)
        self.o_proj = nn.Linear(d, d, bias=False)
        inv = 1.0 / (10000 ** (torch.arange(0, self.hd, 2).float() / self.hd))
        self.register_buffer("inv_freq", inv, persistent=False)

    def forward(self, x, position_ids, mask):
        B, L, _ = x.shape
        q = self.q_proj(x).view(B, L, self.heads, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(B, L, self.heads, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(B, L, self.heads, self.hd).transpose(1, 2)
        freqs = position_ids[:, None, :, None].float() * self.inv_freq
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos(), emb.sin()
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask,
                                           dropout_p=self.p if self.training else 0.0)
        return self.o_proj(y.transpose(1, 2).reshape(B, L, -1))


class TinyLlama(nn.Module):
    def __init__(self, vocab=77, d=32, heads=4, n=2, p=0.1):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(LlamaAttention(d, heads, p) for _ in range(n))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(n))
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        x = self.embed_tokens(input_ids)
        mask = prepare_4d_causal_mask(attention_mask, x.dtype)
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        for attn, norm in zip(self.layers, self.norms):
            x = x + attn(norm(x), position_ids, mask)
        return self.lm_head(x)


def run():
    torch.manual_seed(101)
    ids = torch.randint(1, 77, (5, 8))
    am = torch.ones_like(ids)
    am[1, :3] = 0
    am[4, :6] = 0
    ids = ids.masked_fill(am == 0, 0)
    model = TinyLlama()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    logits = model(ids, am)
    labels = ids[:, 1:].masked_fill(am[:, 1:] == 0, -100)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 77), labels.reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.embed_tokens.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        nxt = model(ids, am)[:, -1].log_softmax(-1)
    return [loss.detach(), g, nxt]
