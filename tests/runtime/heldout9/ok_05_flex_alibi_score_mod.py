# EXPECT: clean
"""Imitates the attention-gym ALiBi example (score_mod adding slope * (kv - q)
plus a causal BlockMask) used for the no-grad path of an MPT / BLOOM-like
decoder; the CPU training step uses an equivalent dense float bias (ALiBi plus
-inf above the diagonal) with F.scaled_dot_product_attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def get_alibi_slopes(n_heads):
    start = 2 ** (-8.0 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


def generate_alibi_bias(slopes):
    def alibi_mod(score, b, h, q_idx, kv_idx):
        return score + slopes[h] * (kv_idx - q_idx)

    return alibi_mod


def causal(b, h, q_idx, kv_idx):
    return q_idx >= kv_idx


def dense_alibi_causal_bias(slopes, T):
    rel = (torch.arange(T)[None, :] - torch.arange(T)[:, None]).float()  # kv - q
    bias = slopes[:, None, None] * rel  # [H, T, T]
    return bias.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))


class MPTAttention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.Wqkv = nn.Linear(d, 3 * d)
        self.out_proj = nn.Linear(d, d)
        self.register_buffer("slopes", get_alibi_slopes(heads), persistent=False)

    def forward(self, x, block_mask=None):
        B, T, D = x.shape
        q, k, v = self.Wqkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if block_mask is None:
            bias = dense_alibi_causal_bias(self.slopes, T)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=self.dropout if self.training else 0.0)
        else:
            y = flex_attention(q, k, v, score_mod=generate_alibi_bias(self.slopes), block_mask=block_mask)
        return self.out_proj(y.transpose(1, 2).reshape(B, T, D))


class MPTBlock(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.norm_1 = nn.LayerNorm(d)
        self.attn = MPTAttention(d, heads, dropout)
        self.norm_2 = nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.resid_drop = nn.Dropout(dropout)

    def forward(self, x, block_mask=None):
        x = x + self.resid_drop(self.attn(self.norm_1(x), block_mask))
        return x + self.resid_drop(self.ffn(self.norm_2(x)))


class MPTForCausalLM(nn.Module):
    def __init__(self, vocab=36, d=32, heads=4, layers=2, dropout=0.1):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList([MPTBlock(d, heads, dropout) for _ in range(layers)])
        self.norm_f = nn.LayerNorm(d)

    def forward(self, ids, use_flex=False):
        T = ids.size(1)
        block_mask = create_block_mask(causal, None, None, T, T, device="cpu") if use_flex else None
        x = self.wte(ids)
        for blk in self.blocks:
            x = blk(x, block_mask)
        return self.norm_f(x) @ self.wte.weight.t()


def run():
    torch.manual_seed(0)
    model = MPTForCausalLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(113)
    data = torch.randint(0, 36, (4, 13), generator=g)

    model.train()
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 36), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        ids = torch.randint(0, 36, (2, 6), generator=g)
        for _ in range(4):
            ids = torch.cat([ids, model(ids, use_flex=True)[:, -1].argmax(-1, keepdim=True)], dim=1)
        eval_logits = model(ids, use_flex=True)
    return [loss.detach(), *grads, ids, eval_logits]
