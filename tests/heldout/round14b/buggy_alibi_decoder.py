import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_alibi_slopes(n_heads: int) -> torch.Tensor:
    def power_of_2(n):
        start = 2 ** (-(2 ** -(math.log2(n) - 3)))
        return [start * start ** i for i in range(n)]

    if math.log2(n_heads).is_integer():
        return torch.tensor(power_of_2(n_heads))
    closest = 2 ** math.floor(math.log2(n_heads))
    extra = power_of_2(2 * closest)[0::2][: n_heads - closest]
    return torch.tensor(power_of_2(closest) + extra)


class AlibiSelfAttention(nn.Module):
    def __init__(self, dim, heads, attn_drop=0.0):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Linear(dim, dim)
        self.attn_drop = attn_drop
        self.register_buffer("slopes", get_alibi_slopes(heads), persistent=False)

    def attention_bias(self, n, device):
        pos = torch.arange(n, device=device)
        distance = (pos[None, :] - pos[:, None]).float()           # j - i
        alibi = self.slopes.view(-1, 1, 1) * distance.unsqueeze(0)  # (h, n, n)
        lower = torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))
        causal = torch.where(lower, float("-inf"), 0.0)
        return alibi + causal

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(b, n, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        bias = self.attention_bias(n, x.device).to(q.dtype)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=self.attn_drop if self.training else 0.0)  # expect: ML103
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


class FeedForward(nn.Sequential):
    def __init__(self, dim, mult=4):
        super().__init__(nn.Linear(dim, dim * mult), nn.GELU(), nn.Linear(dim * mult, dim))


class AlibiDecoder(nn.Module):
    def __init__(self, num_tokens=512, dim=64, depth=2, heads=4):
        super().__init__()
        self.token_emb = nn.Embedding(num_tokens, dim)
        self.layers = nn.ModuleList([])
        for _ in range(depth):
            self.layers.append(nn.ModuleList([
                nn.LayerNorm(dim), AlibiSelfAttention(dim, heads),
                nn.LayerNorm(dim), FeedForward(dim),
            ]))
        self.norm = nn.LayerNorm(dim)
        self.to_logits = nn.Linear(dim, num_tokens)

    def forward(self, tokens):
        x = self.token_emb(tokens)
        for ln1, attn, ln2, ff in self.layers:
            x = x + attn(ln1(x))
            x = x + ff(ln2(x))
        return self.to_logits(self.norm(x))

    @torch.no_grad()
    def generate(self, prompt, steps, temperature=1.0):
        out = prompt
        for _ in range(steps):
            logits = self(out)[:, -1] / temperature
            nxt = torch.multinomial(logits.softmax(-1), 1)
            out = torch.cat([out, nxt], dim=-1)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    model = AlibiDecoder().eval()
    sample = model.generate(torch.randint(0, 512, (2, 8)), steps=4)
    print("generated", tuple(sample.shape))
