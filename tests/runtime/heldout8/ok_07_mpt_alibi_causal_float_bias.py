# EXPECT: clean
"""MPT/BLOOM-style LM with ALiBi: a per-head linear distance bias is added to
a causal -inf bias and a right-padding -inf key bias, and the resulting
float (B, H, T, T) tensor is passed to SDPA as attn_mask.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


def gen_slopes(n_heads, alibi_bias_max=8):
    _n_heads = 2 ** math.ceil(math.log2(n_heads))
    m = torch.arange(1, _n_heads + 1, dtype=torch.float32) * (alibi_bias_max / _n_heads)
    slopes = 1.0 / torch.pow(2, m)
    if _n_heads != n_heads:
        slopes = torch.concat([slopes[1::2], slopes[::2]])[:n_heads]
    return slopes


def build_attn_bias(n_heads, seq_len, key_padding, dtype=torch.float32):
    # ALiBi: -slope * distance to the key (only past keys matter after the causal mask)
    pos = torch.arange(seq_len)
    rel = (pos[None, :] - pos[:, None]).clamp(max=0).to(dtype)        # (T, T), <= 0
    alibi = gen_slopes(n_heads)[:, None, None] * rel                  # (H, T, T)
    causal = torch.full((seq_len, seq_len), float("-inf"), dtype=dtype).triu(1)
    pad = torch.zeros(key_padding.shape, dtype=dtype).masked_fill(key_padding, float("-inf"))
    return alibi[None] + causal[None, None] + pad[:, None, None, :]    # (B, H, T, T)


class MPTAttention(nn.Module):
    def __init__(self, d_model, n_heads, attn_pdrop):
        super().__init__()
        self.n_heads = n_heads
        self.Wqkv = nn.Linear(d_model, 3 * d_model, bias=False)
        self.out_proj = nn.Linear(d_model, d_model, bias=False)
        self.attn_pdrop = attn_pdrop

    def forward(self, x, attn_bias):
        B, T, C = x.shape
        q, k, v = self.Wqkv(x).chunk(3, dim=-1)
        q, k, v = (t.view(B, T, self.n_heads, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias, dropout_p=self.attn_pdrop if self.training else 0.0)
        return self.out_proj(y.transpose(1, 2).reshape(B, T, C))


class MPTBlock(nn.Module):
    def __init__(self, d_model, n_heads, p):
        super().__init__()
        self.norm_1 = nn.LayerNorm(d_model, bias=False)
        self.attn = MPTAttention(d_model, n_heads, p)
        self.norm_2 = nn.LayerNorm(d_model, bias=False)
        self.ffn = nn.Sequential(nn.Linear(d_model, 4 * d_model, bias=False), nn.GELU(approximate="none"),
                                 nn.Linear(4 * d_model, d_model, bias=False))
        self.resid_attn_dropout = nn.Dropout(p)
        self.resid_ffn_dropout = nn.Dropout(p)

    def forward(self, x, attn_bias):
        x = x + self.resid_attn_dropout(self.attn(self.norm_1(x), attn_bias))
        return x + self.resid_ffn_dropout(self.ffn(self.norm_2(x)))


class MPTForCausalLM(nn.Module):
    def __init__(self, vocab_size=56, d_model=32, n_heads=4, n_layers=2, p=0.1):
        super().__init__()
        self.n_heads = n_heads
        self.wte = nn.Embedding(vocab_size, d_model)  # no positional embedding: ALiBi
        self.emb_drop = nn.Dropout(p)
        self.blocks = nn.ModuleList([MPTBlock(d_model, n_heads, p) for _ in range(n_layers)])
        self.norm_f = nn.LayerNorm(d_model, bias=False)

    def forward(self, input_ids):
        attn_bias = build_attn_bias(self.n_heads, input_ids.size(1), input_ids == PAD)
        x = self.emb_drop(self.wte(input_ids))
        for blk in self.blocks:
            x = blk(x, attn_bias)
        return F.linear(self.norm_f(x), self.wte.weight)


def right_pad(seqs):
    T = max(len(s) for s in seqs)
    out = torch.full((len(seqs), T), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, :len(s)] = s
    return out


def run():
    torch.manual_seed(0)
    model = MPTForCausalLM()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    batch = right_pad([torch.randint(1, 56, (n,)) for n in (14, 8, 11)])
    inp, tgt = batch[:, :-1], batch[:, 1:]

    model.train()
    logits = model(inp)
    loss = F.cross_entropy(logits.reshape(-1, 56), tgt.reshape(-1), ignore_index=PAD)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(inp)
    return [loss.detach(), *grads, eval_logits]
