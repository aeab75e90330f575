import math

import torch
from torch import nn
import torch.nn.functional as F


def build_alibi_bias(n_heads: int, seq_len: int, device=None) -> torch.Tensor:
    """(1, H, L, L) linear distance penalties, BLOOM/MPT style."""
    closest = 2 ** math.floor(math.log2(n_heads))
    base = 2.0 ** (-8.0 / closest)
    slopes = base ** torch.arange(1, closest + 1, dtype=torch.float32, device=device)
    if closest != n_heads:
        extra = (2.0 ** (-4.0 / closest)) ** torch.arange(1, 2 * (n_heads - closest) + 1, 2, device=device)
        slopes = torch.cat([slopes, extra])
    pos = torch.arange(seq_len, device=device)
    rel = (pos[None, :] - pos[:, None]).clamp(max=0).float()
    return (slopes[:, None, None] * rel[None]).unsqueeze(0)


class MPTAttention(nn.Module):
    def __init__(self, d_model, n_heads, attn_pdrop=0.0):
        super().__init__()
        self.n_heads = n_heads
        self.Wqkv = nn.Linear(d_model, 3 * d_model)
        self.out_proj = nn.Linear(d_model, d_model)
        self.attn_pdrop = attn_pdrop

    def forward(self, x, attn_bias):
        b, s, d = x.shape
        qkv = self.Wqkv(x).view(b, s, 3, self.n_heads, d // self.n_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias,
                                           dropout_p=self.attn_pdrop if self.training else 0.0)
        return self.out_proj(y.transpose(1, 2).reshape(b, s, d))


class MPTBlock(nn.Module):
    def __init__(self, d_model, n_heads, expansion=4):
        super().__init__()
        self.norm_1 = nn.LayerNorm(d_model)
        self.attn = MPTAttention(d_model, n_heads)
        self.norm_2 = nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(nn.Linear(d_model, expansion * d_model), nn.GELU(), nn.Linear(expansion * d_model, d_model))

    def forward(self, x, attn_bias):
        x = x + self.attn(self.norm_1(x), attn_bias)
        return x + self.ffn(self.norm_2(x))


class MPTForCausalLM(nn.Module):
    def __init__(self, vocab_size=512, d_model=64, n_heads=4, n_layers=2, max_seq_len=128):
        super().__init__()
        self.n_heads = n_heads
        self.wte = nn.Embedding(vocab_size, d_model)
        self.blocks = nn.ModuleList(MPTBlock(d_model, n_heads) for _ in range(n_layers))
        self.norm_f = nn.LayerNorm(d_model)
        causal = torch.tril(torch.ones(max_seq_len, max_seq_len, dtype=torch.bool))
        self.register_buffer("causal", causal, persistent=False)

    def attn_bias(self, seq_len, device):
        alibi = build_alibi_bias(self.n_heads, seq_len, device)
        return torch.where(self.causal[:seq_len, :seq_len], alibi, float("-inf"))

    def forward(self, input_ids):
        x = self.wte(input_ids)
        bias = self.attn_bias(input_ids.size(1), input_ids.device)
        for block in self.blocks:
            x = block(x, bias)
        return F.linear(self.norm_f(x), self.wte.weight)

    @torch.no_grad()
    def generate(self, input_ids, max_new_tokens=5):
        for _ in range(max_new_tokens):
            nxt = self(input_ids)[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, nxt], dim=1)
        return input_ids


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = MPTForCausalLM().eval()
    prompt = torch.randint(0, 512, (2, 10))
    print(lm.generate(prompt)[:, 10:].tolist())
